package dev.ludus.runner.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EpisodeHeadTest {
  private static EpisodeHead parse(String line) throws IOException {
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    return EpisodeHead.parse(bytes, 0, bytes.length);
  }

  @Test
  void aFailureIsCountedUnderTheKindTheFileRecords_notTheOneItsReasonSeemsToName() throws IOException {
    EpisodeHead h = parse("{\"id\":\"e-1\",\"env\":\"x\",\"status\":\"failed\",\"failure\":\"agent timed out after 9 ms\","
        + "\"failureKind\":\"transport\",\"turns\":[]}");
    assertEquals("transport", h.failureKindLabel());
  }

  @Test
  void aFileWrittenBeforeKindsExistedGetsTheKindItsReasonNames() throws IOException {
    EpisodeHead h = parse("{\"id\":\"e-1\",\"env\":\"x\",\"status\":\"failed\",\"failure\":\"agent timed out after 9 ms\","
        + "\"turns\":[]}");
    assertEquals("timeout", h.failureKindLabel());
  }
}
