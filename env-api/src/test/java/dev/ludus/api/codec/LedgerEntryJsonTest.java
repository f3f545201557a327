package dev.ludus.api.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ludus.api.LedgerEntry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hand-written ledger entry serializer writes what Jackson would write for the record. */
class LedgerEntryJsonTest {
  @Test
  void theHandWrittenLedgerEntrySerializerWritesTheRecordsFieldsAndReadsBackBitExact() throws Exception {
    ObjectMapper reflective = new ObjectMapper();
    for (LedgerEntry e : List.of(new LedgerEntry(0, "info-gain", "info-gain", 1.0000000000000009, -0.401405108039124),
        new LedgerEntry(3, "tool \"call\"\n", "é/ü\\", 2, -3), new LedgerEntry(7, "a", "b", 1e300, -0.0),
        new LedgerEntry(1, "env", "reward", Double.MIN_VALUE, 12345678901.5))) {
      String mine = EpisodeCodec.MAPPER.writeValueAsString(e);
      List<String> fields = new java.util.ArrayList<>();
      reflective.readTree(mine).fieldNames().forEachRemaining(fields::add);
      List<String> recordFields = new java.util.ArrayList<>();
      reflective.readTree(reflective.writeValueAsString(e)).fieldNames().forEachRemaining(recordFields::add);
      assertEquals(recordFields, fields, "the record's fields, in its order: " + mine);
      assertEquals(e, reflective.readValue(mine, LedgerEntry.class), "a plain mapper reads it back: " + mine);
      LedgerEntry back = EpisodeCodec.MAPPER.readValue(mine, LedgerEntry.class);
      assertEquals(e, back, mine);
      assertEquals(Double.doubleToLongBits(e.raw()), Double.doubleToLongBits(back.raw()), "bit-exact: " + mine);
      assertEquals(Double.doubleToLongBits(e.value()), Double.doubleToLongBits(back.value()), "bit-exact: " + mine);
    }
  }
}
