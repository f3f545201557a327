package dev.ludus.runner.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Message;
import dev.ludus.runner.testenv.CountdownProvider;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Issue 16, finding 8: the summary's failure counts add up to the failed episodes. */
class RunSummaryFailuresTest {
  private static final List<String> KINDS = List.of("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf",
      "hotel");

  private static RunSummary run(int episodes, int kinds) throws Exception {
    Agent failing = r -> CompletableFuture.completedFuture(r.seed() % 3 == 0
        ? AgentResponse.reply(Message.assistant("tick"))
        : AgentResponse.failure("server said " + KINDS.get(Math.floorMod(r.seed(), kinds))));
    try (EpisodeRuntime runtime = EpisodeRuntime.start(RuntimeOptions.defaults())) {
      return runtime.run(new Rollout("run", new CountdownProvider().bind(new CountdownProvider.Config(2, 0, 0, false, 0)),
          "failing", failing, RolloutOptions.of(episodes, 16, 3)), EpisodeSink.discard(), EpisodeListener.none())
          .toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void summaryFailuresListTheTopFiveKindsAndAnOtherCountSoThatTheyAddUpToTheFailedTotal() throws Exception {
    RunSummary s = run(400, 8);
    assertTrue(s.failed() > 0 && s.failed() < 400, "some episodes failed: " + s.failed());
    assertEquals(RunSummary.TOP_FAILURES + 1, s.failures().size(), s.failures().toString());
    RunSummary.FailureCount other = s.failures().get(RunSummary.TOP_FAILURES);
    assertEquals(RunSummary.OTHER_FAILURES, other.kind());
    assertTrue(other.example().startsWith("3 other kinds; the most frequent: agent failed at turn 0: server said "),
        other.example());
    assertEquals(s.failed(), s.failures().stream().mapToLong(RunSummary.FailureCount::count).sum(),
        "the counts add up to the failed total: " + s.failures());
  }

  @Test
  void withFiveKindsOrFewerThereIsNoOtherEntry() throws Exception {
    RunSummary s = run(200, 5);
    assertTrue(s.failures().stream().noneMatch(f -> f.kind().equals(RunSummary.OTHER_FAILURES)), s.failures().toString());
    assertEquals(s.failed(), s.failures().stream().mapToLong(RunSummary.FailureCount::count).sum());
  }
}
