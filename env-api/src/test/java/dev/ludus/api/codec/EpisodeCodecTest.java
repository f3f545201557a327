package dev.ludus.api.codec;

import static dev.ludus.api.codec.Samples.BIG;
import static dev.ludus.api.codec.Samples.KEYS;
import static dev.ludus.api.codec.Samples.MOOD;
import static dev.ludus.api.codec.Samples.RANGE;
import static dev.ludus.api.codec.Samples.SPLITS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.ConfigException;
import dev.ludus.api.Episode;
import dev.ludus.api.LedgerEntry;
import dev.ludus.api.Message;
import dev.ludus.api.Registry;
import dev.ludus.api.SignalKey;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.TokenTrace;
import dev.ludus.api.Turn;
import dev.ludus.api.codec.EpisodeCodec.Part;
import dev.ludus.api.codec.Samples.Mood;
import dev.ludus.api.codec.Samples.Range;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EpisodeCodecTest {
  private static final EpisodeCodec TYPED = EpisodeCodec.typed(KEYS);

  @Test
  void episodesAreWrittenByteForByteAsTheStoreWroteThemBeforeTheCodec() throws Exception {
    List<String> before = Samples.resource("written-before-the-codec.jsonl").lines().toList();
    assertEquals(before.get(0), EpisodeCodec.plain().encodeToString(Samples.sample("a")));
    // issue 17 added the failure's kind beside its reason; the line written before reads back with the kind it names
    assertEquals(before.get(1).replace(",\"success\"", ",\"failureKind\":\"timeout\",\"success\""),
        EpisodeCodec.plain().encodeToString(Samples.failed()));
    assertEquals(Samples.failed(), EpisodeCodec.plain().decode(before.get(1)));
    assertEquals(before.get(0), new String(TYPED.encode(Samples.sample("a")), StandardCharsets.UTF_8),
        "encoding does not depend on the keys");
  }

  @Test
  void aTypedCodecReadsBackAnEpisodeEqualToTheOneWritten() throws Exception {
    for (Episode e : List.of(Samples.sample("a"), Samples.failed())) {
      assertEquals(e, TYPED.decode(TYPED.encode(e)));
      assertEquals(e, TYPED.decode(TYPED.encodeToString(e)));
    }
    List<String> before = Samples.resource("written-before-the-codec.jsonl").lines().toList();
    assertEquals(Samples.sample("a"), TYPED.decode(before.get(0)), "files written before the codec read typed");
  }

  @Test
  void typedSignalValuesComeBackAsTheirKeysTypes() {
    Episode back = TYPED.decode(TYPED.encode(Samples.sample("a")));
    Signals s = back.turns().get(0).signals();
    assertEquals(new Range(3, 9), s.raw("range").orElseThrow());
    assertEquals(Mood.ANGRY, s.raw("mood").orElseThrow());
    assertEquals(List.of(new Range(1, 2), new Range(3, 3)), s.raw("splits").orElseThrow());
    assertInstanceOf(Range.class, ((List<?>) s.raw("splits").orElseThrow()).get(0));
    assertEquals(1L << 40, s.raw("big").orElseThrow());
    assertEquals(new Range(1, 16), back.startSignals().raw("range").orElseThrow());
  }

  @Test
  void aPlainCodecLeavesSignalValuesAsPlainJsonValuesAndTheTypedGetterStillConverts() {
    Episode back = EpisodeCodec.plain().decode(EpisodeCodec.plain().encode(Samples.sample("a")));
    Signals s = back.turns().get(0).signals();
    assertEquals(Map.of("low", 3, "high", 9), s.raw("range").orElseThrow());
    assertEquals("ANGRY", s.raw("mood").orElseThrow());
    assertNotEquals(Samples.sample("a"), back, "plain values are not the typed ones");
    assertEquals(new Range(3, 9), s.get(RANGE).orElseThrow());
    assertEquals(Mood.ANGRY, s.get(MOOD).orElseThrow());
    assertEquals(List.of(new Range(1, 2), new Range(3, 3)), s.get(SPLITS).orElseThrow());
    assertEquals(1L << 40, s.get(BIG).orElseThrow());
    assertEquals(Samples.sample("a"), back.mapSignals(x -> x.typed(KEYS)), "typing afterwards gives the same");
  }

  @Test
  void signalsNoKeyNamesStayPlainJsonValues() {
    EpisodeCodec onlyMood = EpisodeCodec.typed(List.of(MOOD));
    Signals s = onlyMood.decode(onlyMood.encode(Samples.sample("a"))).turns().get(0).signals();
    assertEquals(Mood.ANGRY, s.raw("mood").orElseThrow());
    assertEquals(Map.of("low", 3, "high", 9), s.raw("range").orElseThrow());
  }

  @Test
  void aRegistryTypedCodecLeavesTheSignalsOfAnEnvironmentItDoesNotHoldPlain() {
    EpisodeCodec codec = EpisodeCodec.typed(Registry.load());
    Signals s = codec.decode(codec.encode(Samples.sample("a"))).turns().get(0).signals();
    assertEquals(Map.of("low", 3, "high", 9), s.raw("range").orElseThrow(), "no environment 'env' is registered");
    ConfigException e = assertThrows(ConfigException.class, () -> codec.forEnv("env"));
    assertTrue(e.getMessage().contains("unknown environment 'env'"), e.getMessage());
  }

  @Test
  void schemaOneFilesStillRead() throws Exception {
    String old = Samples.resource("schema-1.jsonl").strip();
    Episode back = TYPED.decode(old);
    assertEquals(1, back.schema());
    Episode now = Samples.sample("a");
    assertEquals(now.ledger(), back.ledger());
    assertEquals(now.turns(), back.turns());
    assertEquals(now.startSignals(), back.startSignals());
  }

  @Test
  void aNewerSchemaIsRefusedSayingWhichThisLudusReads() {
    EpisodeFormatException e = assertThrows(EpisodeFormatException.class,
        () -> TYPED.decode("{\"schema\":99,\"id\":\"x\",\"status\":\"completed\"}"));
    assertEquals("has schema 99; this Ludus reads schema 2 and older", e.reason());
    assertEquals("the JSON has schema 99; this Ludus reads schema 2 and older", e.getMessage());
  }

  @Test
  void malformedJsonIsRefusedSayingWhatWasWrong() {
    EpisodeFormatException truncated = assertThrows(EpisodeFormatException.class,
        () -> TYPED.decode("{\"schema\":2,\"id\":\"x\",\"status\":\"compl"));
    assertTrue(truncated.reason().startsWith("is not a valid episode: "), truncated.reason());
    EpisodeFormatException noReason = assertThrows(EpisodeFormatException.class,
        () -> TYPED.decode("{\"schema\":2,\"id\":\"x\",\"status\":\"failed\"}"));
    assertTrue(noReason.reason().contains("a failed episode needs its reason"), noReason.reason());
    EpisodeFormatException nothing = assertThrows(EpisodeFormatException.class, () -> TYPED.decode("null"));
    assertEquals("is not a valid episode: it is null", nothing.reason());
  }

  @Test
  void aValueThatDoesNotConvertToItsKeysTypeFailsTheDecodeNamingTheSignal() {
    String line = EpisodeCodec.plain().encodeToString(Samples.sample("a"));
    EpisodeCodec wrong = EpisodeCodec.typed(List.of(SignalKey.of("range", Integer.class)));
    EpisodeFormatException e = assertThrows(EpisodeFormatException.class, () -> wrong.decode(line));
    assertTrue(e.reason().contains("signal 'range' holds a map {low=1, high=16}, which does not read as a Integer"),
        e.reason());
  }

  @Test
  void twoKeysWithOneNameAndDifferentTypesAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EpisodeCodec.typed(List.of(RANGE, SignalKey.of("range", String.class))));
    assertTrue(e.getMessage().contains("signal 'range' is given twice with different types"), e.getMessage());
  }

  @Test
  void anEpisodeReadsFromAFrameInsideALargerBufferAsAWireCodecWouldHandIt() {
    byte[] json = TYPED.encode(Samples.sample("a"));
    ByteBuffer frame = ByteBuffer.allocate(7 + 4 + json.length + 5);
    frame.put(new byte[7]).putInt(json.length).put(json).put(new byte[] {'t', 'r', 'a', 'i', 'l'});
    byte[] wire = frame.array();
    int length = ByteBuffer.wrap(wire, 7, 4).getInt();
    assertEquals(Samples.sample("a"), TYPED.decode(wire, 11, length));
  }

  @Test
  void anEpisodeIsWrittenToAndReadFromAStreamThatIsLeftOpen() {
    boolean[] closed = new boolean[2];
    ByteArrayOutputStream out = new ByteArrayOutputStream() {
      @Override
      public void close() {
        closed[0] = true;
      }
    };
    TYPED.encode(Samples.sample("a"), out);
    InputStream in = new ByteArrayInputStream(out.toByteArray()) {
      @Override
      public void close() {
        closed[1] = true;
      }
    };
    assertEquals(Samples.sample("a"), TYPED.decode(in));
    assertFalse(closed[0] || closed[1], "the codec closed a stream it does not own");
  }

  @Test
  void episodesStreamOneAfterAnotherAndTheStreamClosesItsInput() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TYPED.encode(Samples.sample("a"), out);
    out.write('\n');
    TYPED.encode(Samples.failed(), out);
    out.write("\n\n".getBytes(StandardCharsets.UTF_8));
    TYPED.encode(Samples.sample("b"), out);
    boolean[] closed = new boolean[1];
    InputStream in = new ByteArrayInputStream(out.toByteArray()) {
      @Override
      public void close() {
        closed[0] = true;
      }
    };
    try (var episodes = TYPED.decodeAll(in)) {
      assertEquals(List.of(Samples.sample("a"), Samples.failed(), Samples.sample("b")), episodes.toList());
    }
    assertTrue(closed[0]);
    var broken = TYPED.decodeAll(new ByteArrayInputStream((TYPED.encodeToString(Samples.failed()) + "\n{\"schema\":2,")
        .getBytes(StandardCharsets.UTF_8))).iterator();
    assertEquals(Samples.failed(), broken.next());
    EpisodeFormatException e = assertThrows(EpisodeFormatException.class, () -> {
      broken.hasNext();
      broken.next();
    });
    assertTrue(e.reason().startsWith("is not a valid episode"), e.reason());
  }

  @Test
  void partsRoundTripOnTheirOwnAndSpeakTheEpisodeFilesShapes() {
    Episode e = Samples.sample("a");
    Turn turn = e.turns().get(0);
    assertEquals(turn, TYPED.decode(Part.TURN, TYPED.encode(Part.TURN, turn)));
    assertEquals(turn.signals(), TYPED.decode(Part.SIGNALS, TYPED.encodeToString(Part.SIGNALS, turn.signals())));
    assertEquals(e.ledger(), TYPED.decode(Part.LEDGER, TYPED.encode(Part.LEDGER, e.ledger())));
    assertEquals(e.start(), TYPED.decode(Part.MESSAGES, TYPED.encode(Part.MESSAGES, e.start())));
    assertEquals(e.task(), TYPED.decode(Part.TASK, TYPED.encode(Part.TASK, e.task())));
    assertEquals(e.tools(), TYPED.decode(Part.TOOLS, TYPED.encode(Part.TOOLS, e.tools())));
    TokenTrace tokens = turn.tokens();
    assertEquals("{\"prompt_ids\":[1,2],\"output_ids\":[5,6,7],\"logprobs\":[-0.1,-0.25,-3.0E-7],\"policy_version\":3}",
        TYPED.encodeToString(Part.TOKENS, tokens));
    assertEquals(tokens, TYPED.decode(Part.TOKENS, TYPED.encode(Part.TOKENS, tokens)));
    Message call = turn.action();
    assertEquals("{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"call-1\",\"type\":\"function\",\"function\":"
        + "{\"name\":\"search\",\"arguments\":\"{\\\"q\\\":\\\"x \\\\\\\"y\\\\\\\"\\\"}\"}}]}",
        TYPED.encodeToString(Part.MESSAGE, call));
    assertEquals(call, TYPED.decode(Part.MESSAGE, TYPED.encode(Part.MESSAGE, call)));
    assertEquals(call.toolCalls().get(0),
        TYPED.decode(Part.TOOL_CALL, TYPED.encode(Part.TOOL_CALL, call.toolCalls().get(0))));
    String ledger = TYPED.encodeToString(Part.LEDGER, e.ledger());
    assertTrue(ledger.startsWith("[{\"source\":\"info-gain\",\"component\":\"info-gain\",\"turns\":[0,1]"), ledger);
  }

  @Test
  void aPartReadOnItsOwnIsPlainUnlessTheCodecIsNarrowedToItsEnvironment() {
    Signals s = Signals.of(RANGE, new Range(2, 4));
    byte[] json = EpisodeCodec.plain().encode(Part.SIGNALS, s);
    Signals plain = EpisodeCodec.plain().decode(Part.SIGNALS, json);
    assertEquals(Map.of("low", 2, "high", 4), plain.raw("range").orElseThrow());
    assertSame(TYPED, TYPED.forEnv("anything"), "a key-typed codec types every part already");
    assertEquals(s, TYPED.decode(Part.SIGNALS, json));
  }

  @Test
  void aValueThatCannotBeWrittenFailsNamingTheEpisode() {
    SignalKey<Object> odd = SignalKey.of("odd", Object.class);
    Object selfReferencing = new Object() {
      @SuppressWarnings("unused")
      public Object getSelf() {
        return this;
      }
    };
    Episode e = Samples.failed().mapSignals(x -> x.with(odd, selfReferencing));
    IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> TYPED.encode(e));
    assertTrue(x.getMessage().startsWith("episode f cannot be written as JSON: "), x.getMessage());
  }

  @Test
  void theLedgerPartReadsSchemaOneEntries() {
    String old = "[{\"turn\":0,\"source\":\"outcome\",\"component\":\"outcome\",\"raw\":0,\"value\":0}]";
    assertEquals(List.of(new LedgerEntry(0, "outcome", "outcome", 0, 0)), TYPED.decode(Part.LEDGER, old));
  }

  @Test
  void theStandardCandidateListKeepsItsStrings() {
    Signals s = Signals.of(StandardSignals.CANDIDATES, List.of("cat", "dog"));
    assertEquals(s, TYPED.decode(Part.SIGNALS, TYPED.encode(Part.SIGNALS, s)));
  }

  /** One seat's side of a match: the sample with a match id and a seat. */
  private static Episode seated(Episode e, String match, String seat) {
    return new Episode(e.schema(), e.id(), e.env(), e.agent(), match, seat, e.task(), e.seed(), e.status(),
        e.failure(), e.success(), e.totalReward(), e.start(), e.tools(), e.startSignals(), e.turns(), e.ledger(),
        e.startedAtMillis(), e.durationMillis());
  }

  @Test
  void aSeatsEpisodeWritesItsMatchAndSeatAfterTheAgentAndReadsThemBack() {
    Episode bob = seated(Samples.sample("run-3-bob"), "run-3", "bob");
    String json = TYPED.encodeToString(bob);
    assertTrue(json.startsWith("{\"schema\":2,\"id\":\"run-3-bob\",\"env\":\"env\",\"agent\":\"agent\","
        + "\"match\":\"run-3\",\"seat\":\"bob\",\"task\":"), json);
    Episode back = TYPED.decode(json);
    assertEquals(bob, back);
    assertEquals("run-3", back.match());
    assertEquals("bob", back.seat());
    assertTrue(back.multiAgent());
    assertFalse(TYPED.decode(TYPED.encode(Samples.sample("a"))).multiAgent(), "a single-agent episode stays one");
    assertFalse(TYPED.encodeToString(Samples.sample("a")).contains("\"match\""), "no match field when there is none");
  }

  /**
   * Schema 2 stays 2 with the match and the seat: they are optional, and episode readers ignore fields they do not
   * know (the codec always has), so a reader from before seats reads a seat's episode as a single-agent one.
   */
  @Test
  void readersIgnoreFieldsTheyDoNotKnowSoTheSeatFieldsNeedNoNewSchema() {
    assertFalse(EpisodeCodec.MAPPER.isEnabled(com.fasterxml.jackson.databind.DeserializationFeature
        .FAIL_ON_UNKNOWN_PROPERTIES));
    Episode bob = seated(Samples.sample("run-3-bob"), "run-3", "bob");
    String json = TYPED.encodeToString(bob);
    String fromTheFuture = json.replace("\"seat\":\"bob\",", "\"seat\":\"bob\",\"team\":{\"name\":\"blue\"},");
    assertEquals(bob, TYPED.decode(fromTheFuture));
    assertEquals(Episode.SCHEMA, TYPED.decode(json).schema());
  }

  @Test
  void aMatchWithoutASeatIsRefused() {
    Episode a = Samples.sample("a");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> seated(a, "run-3", null));
    assertEquals("a multi-agent episode has both a match and a seat, a single-agent one neither; got match run-3 and "
        + "seat null", e.getMessage());
  }
}
