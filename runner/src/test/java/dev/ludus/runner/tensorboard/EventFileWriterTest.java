package dev.ludus.runner.tensorboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventFileWriterTest {
  @TempDir Path tmp;

  @Test
  void anEventFileOpensWithItsVersionThenHoldsEachStepsScalarsBehindValidCrcs() throws Exception {
    Path file;
    try (EventFileWriter w = EventFileWriter.open(tmp.resolve("tb"))) {
      file = w.file();
      Map<String, Double> first = new LinkedHashMap<>();
      first.put("success", 0.25);
      first.put("components/outcome", -1.5);
      w.scalars(0, first);
      w.scalars(300, Map.of("kl", 1e-3));
    }
    assertTrue(file.getFileName().toString().startsWith("events.out.tfevents."), file.toString());
    List<EventFileReader.Event> events = EventFileReader.read(file);
    assertEquals(3, events.size());
    assertEquals("brain.Event:2", events.get(0).fileVersion());
    assertTrue(events.get(0).wallTime() > 1.6e9, "wall time in epoch seconds");
    assertEquals(0, events.get(1).step());
    assertEquals(Map.of("success", 0.25f, "components/outcome", -1.5f), events.get(1).scalars());
    assertEquals(List.of("success", "components/outcome"), List.copyOf(events.get(1).scalars().keySet()));
    assertEquals(300, events.get(2).step());
    assertEquals(1e-3f, events.get(2).scalars().get("kl"));
  }

  @Test
  void aFlippedByteIsCaughtByTheRecordsCrc() throws Exception {
    Path file;
    try (EventFileWriter w = EventFileWriter.open(tmp)) {
      file = w.file();
      w.scalars(7, Map.of("loss", 0.5));
    }
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 6] ^= 0x10; // inside the last record's data
    Files.write(file, bytes);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> EventFileReader.read(file));
    assertTrue(e.getMessage().contains("data CRC"), e.getMessage());
  }

  @Test
  void metricsLinesFlattenToSlashedNamesAndPlotAtTheirOptimizerStep() throws Exception {
    ObjectMapper json = new ObjectMapper();
    var line = json.readTree("{\"iteration\":2,\"step\":-1,\"success\":0.5,\"applied\":true,"
        + "\"components\":{\"outcome\":1.0,\"info-gain/gain\":0.25},\"layout\":{\"packed\":false},\"note\":\"x\"}");
    assertEquals(Map.of("iteration", 2.0, "success", 0.5, "applied", 1.0, "components/outcome", 1.0,
        "components/info-gain/gain", 0.25, "layout/packed", 0.0), MetricScalars.flatten(line));
    assertEquals(9, MetricScalars.step(line, 9), "a line without an update stays at the last step");
    assertEquals(12, MetricScalars.step(json.readTree("{\"step\":12}"), 9));
  }

  @Property
  void varintsReadBackAsWritten(@ForAll long v) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    EventProto.varint(out, v);
    byte[] bytes = out.toByteArray();
    assertTrue(bytes.length <= 10);
    assertEquals(v, EventFileReader.varint(ByteBuffer.wrap(bytes)));
  }
}
