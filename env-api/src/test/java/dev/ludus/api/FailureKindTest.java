package dev.ludus.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.codec.EpisodeCodec;
import org.junit.jupiter.api.Test;

class FailureKindTest {
  private static Episode completed() {
    return new Episode(Episode.SCHEMA, "e-1", "env", "agent", Task.generated("env", 1), 1, EpisodeStatus.COMPLETED,
        null, false, 0, null, null, null, null, null, 0, 0);
  }

  @Test
  void theRuntimesReasonsReadBackAsTheirKinds() {
    assertEquals(FailureKind.TIMEOUT, FailureKind.classify("episode exceeded its time limit of 600000 ms at turn 3"));
    assertEquals(FailureKind.TIMEOUT, FailureKind.classify("agent did not answer within 300000 ms at turn 2"));
    assertEquals(FailureKind.TIMEOUT, FailureKind.classify("agent timed out after 1003 ms"));
    assertEquals(FailureKind.ENVIRONMENT, FailureKind.classify("reset failed: IllegalStateException: boom"));
    assertEquals(FailureKind.ENVIRONMENT, FailureKind.classify("environment failed at turn 4: NPE"));
    assertEquals(FailureKind.SIMULATOR, FailureKind.classify("environment failed at turn 4: the simulated user broke"));
    assertEquals(FailureKind.AGENT, FailureKind.classify("agent failed at turn 0: server said no"));
    assertEquals(FailureKind.TRANSPORT, FailureKind.classify("agent failed at turn 0: openai/circuit-open: endpoint"));
    assertEquals(FailureKind.TOOL, FailureKind.classify("agent failed at turn 1: openai/invalid-tool-arguments: x"));
    assertEquals(FailureKind.SHAPER, FailureKind.classify("scoring failed: judge threw"));
    assertEquals(FailureKind.UNKNOWN, FailureKind.classify("something odd"));
  }

  @Test
  void anErrorCarriesItsKindThroughWhateverWrapsIt_andAnErrorWithoutOneGetsTheStagesKind() {
    LudusFailure user = new LudusFailure(FailureKind.SIMULATOR, "the simulated user broke");
    Throwable wrapped = new java.util.concurrent.CompletionException(new IllegalStateException("step failed", user));
    assertEquals(FailureKind.SIMULATOR, LudusFailure.kindOf(wrapped, FailureKind.ENVIRONMENT));
    assertEquals(FailureKind.ENVIRONMENT, LudusFailure.kindOf(new IllegalStateException("simulated"),
        FailureKind.ENVIRONMENT), "the text of a reason no longer decides the kind");
    assertEquals(FailureKind.TOOL, LudusFailure.kindOf(new LudusFailure(FailureKind.TOOL, "outer",
        new LudusFailure(FailureKind.TRANSPORT, "inner")), FailureKind.AGENT), "the outermost kind wins");
  }

  @Test
  void anAgentsFailureIsTheAgentsUnlessItSaysWhereItHappened() {
    assertEquals(FailureKind.AGENT, new AgentResponse.Failure("bad mood").kind());
    assertEquals(FailureKind.TRANSPORT,
        ((AgentResponse.Failure) AgentResponse.failure(FailureKind.TRANSPORT, "server gone")).kind());
  }

  @Test
  void aFailedEpisodeCarriesItsKindThroughTheEpisodeFile() {
    Episode failed = completed().asFailed(FailureKind.SHAPER, "scoring failed: judge threw");
    String json = EpisodeCodec.plain().encodeToString(failed);
    assertTrue(json.contains("\"failure\":\"scoring failed: judge threw\",\"failureKind\":\"shaper\""), json);
    Episode back = EpisodeCodec.plain().decode(json);
    assertEquals(FailureKind.SHAPER, back.failureKind());
    assertEquals("scoring failed: judge threw", back.failure());
  }

  @Test
  void anEpisodeFileWrittenBeforeKindsReadsBackWithTheKindItsReasonNames() {
    String json = EpisodeCodec.plain().encodeToString(completed().asFailed("agent failed at turn 0: openai/timeout: x"))
        .replace(",\"failureKind\":\"transport\"", "");
    assertTrue(!json.contains("failureKind"), json);
    assertEquals(FailureKind.TRANSPORT, EpisodeCodec.plain().decode(json).failureKind());
  }

  @Test
  void anEpisodeThatDidNotFailHasNoKind() {
    assertNull(completed().failureKind());
    assertTrue(!EpisodeCodec.plain().encodeToString(completed()).contains("failureKind"));
  }
}
