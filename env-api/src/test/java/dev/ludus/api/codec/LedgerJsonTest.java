package dev.ludus.api.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.api.LedgerEntry;
import dev.ludus.api.codec.EpisodeCodec.Part;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class LedgerJsonTest {
  private static final EpisodeCodec CODEC = EpisodeCodec.plain();

  /** The pipeline's order: by turn, then by component. */
  private static List<LedgerEntry> pipelineLedger() {
    List<LedgerEntry> l = new ArrayList<>();
    for (int t = 0; t < 3; t++) {
      l.add(new LedgerEntry(t, "outcome", "outcome", t == 2 ? 1 : 0, t == 2 ? 1 : 0));
      l.add(new LedgerEntry(t, "info-gain", "info-gain", 1.0000000000000009, -0.40140510803912405 * t));
      if (t > 0) {
        l.add(new LedgerEntry(t, "length-penalty", "length", 0, -0.0));
      }
    }
    return l;
  }

  @Test
  void aPipelineLedgerIsWrittenOncePerComponentAndReadsBackEqualInOrder() throws Exception {
    List<LedgerEntry> ledger = pipelineLedger();
    String json = CODEC.encodeToString(Part.LEDGER, ledger);
    JsonNode tree = EpisodeCodec.MAPPER.readTree(json);
    assertEquals(3, tree.size(), "one object per component: " + json);
    assertEquals("length-penalty", tree.get(2).get("source").asText());
    assertEquals("length", tree.get(2).get("component").asText());
    assertEquals("[1,2]", tree.get(2).get("turns").toString());
    assertEquals("[0,0,1]", tree.get(0).get("raw").toString());
    List<LedgerEntry> back = CODEC.decode(Part.LEDGER, json);
    assertEquals(ledger, back, json);
    for (int i = 0; i < ledger.size(); i++) {
      assertEquals(Double.doubleToLongBits(ledger.get(i).value()), Double.doubleToLongBits(back.get(i).value()));
    }
    assertTrue(json.length() < EpisodeCodec.MAPPER.writeValueAsString(ledger.toArray()).length(),
        "smaller than entry by entry");
  }

  @Test
  void aShapersFailureToScore_isWrittenWithItsReasonAndNoValue_andReadsBackAsAFailure() throws Exception {
    List<LedgerEntry> ledger = List.of(new LedgerEntry(0, "outcome", "outcome", 1, 1),
        LedgerEntry.failed(0, "judge", "score", "the judge's answer was malformed 3 time(s)"));
    String json = CODEC.encodeToString(Part.LEDGER, ledger);
    JsonNode failure = EpisodeCodec.MAPPER.readTree(json).get(1);
    assertTrue(failure.get("raw").isNull(), json);
    assertEquals("the judge's answer was malformed 3 time(s)", failure.get("failure").asText());
    List<LedgerEntry> back = CODEC.decode(Part.LEDGER, json);
    assertEquals(ledger, back, json);
    assertTrue(back.get(1).hasFailure() && Double.isNaN(back.get(1).raw()) && back.get(1).value() == 0);
    assertTrue(!EpisodeCodec.MAPPER.readTree(json).get(0).has("failure"), "a scored entry has no failure field");
  }

  @Test
  void aLedgerInAnotherOrderIsWrittenEntryByEntryAndStillReadsBackEqual() throws Exception {
    List<LedgerEntry> ledger = List.of(new LedgerEntry(1, "a", "a", 1, 1), new LedgerEntry(0, "a", "a", 2, 2),
        new LedgerEntry(0, "b", "b", 3, 3), new LedgerEntry(0, "b", "b", 4, 4));
    String json = CODEC.encodeToString(Part.LEDGER, ledger);
    assertTrue(EpisodeCodec.MAPPER.readTree(json).get(0).has("turn"), json);
    assertEquals(ledger, CODEC.decode(Part.LEDGER, json));
  }

  @Test
  void schemaOneFilesWithOneObjectPerEntryStillRead() throws Exception {
    String old = "[{\"turn\":0,\"source\":\"outcome\",\"component\":\"outcome\",\"raw\":0,\"value\":0},"
        + "{\"turn\":1,\"source\":\"outcome\",\"component\":\"outcome\",\"raw\":1,\"value\":0.5}]";
    assertEquals(List.of(new LedgerEntry(0, "outcome", "outcome", 0, 0), new LedgerEntry(1, "outcome", "outcome", 1,
        0.5)), CODEC.decode(Part.LEDGER, old));
  }

  @Test
  void aGroupWhoseArraysDisagreeIsRefusedNamingTheComponent() {
    String bad = "[{\"source\":\"s\",\"component\":\"c\",\"turns\":[0,1],\"raw\":[1],\"value\":[1,2]}]";
    EpisodeFormatException e = assertThrows(EpisodeFormatException.class, () -> CODEC.decode(Part.LEDGER, bad));
    assertTrue(e.getMessage().contains("'s/c' has 2 turns but 1 raw values"), e.getMessage());
  }

  /** Any ledger in the pipeline's order, with any values, survives the round trip bit for bit. */
  @Property(tries = 200)
  void pipelineOrderedLedgersRoundTrip(@ForAll @IntRange(min = 0, max = 6) int turns,
      @ForAll @IntRange(min = 1, max = 4) int components, @ForAll long seed) throws Exception {
    java.util.Random r = new java.util.Random(seed);
    List<LedgerEntry> ledger = new ArrayList<>();
    for (int t = 0; t < turns; t++) {
      for (int c = 0; c < components; c++) {
        if (r.nextInt(3) > 0) {
          double raw = r.nextBoolean() ? r.nextInt(5) - 2 : r.nextGaussian() * Math.pow(10, r.nextInt(20) - 10);
          ledger.add(new LedgerEntry(t, "s" + (c % 2), "c" + c, raw, r.nextBoolean() ? raw : raw * r.nextDouble()));
        }
      }
    }
    String json = CODEC.encodeToString(Part.LEDGER, ledger);
    List<LedgerEntry> back = CODEC.decode(Part.LEDGER, json);
    assertEquals(ledger, back, json);
  }
}
