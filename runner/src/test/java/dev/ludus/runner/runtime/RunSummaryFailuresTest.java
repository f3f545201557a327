package dev.ludus.runner.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.FailureKind;
import dev.ludus.api.Message;
import dev.ludus.api.Task;
import dev.ludus.runner.testenv.CountdownProvider;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, finding 8: the summary's failure counts add up to the failed episodes; issue 17: failures are grouped by
 * their kind, not by their reason's text.
 */
class RunSummaryFailuresTest {
  private static final List<FailureKind> KINDS = List.of(FailureKind.AGENT, FailureKind.TRANSPORT, FailureKind.TOOL,
      FailureKind.TIMEOUT, FailureKind.ENVIRONMENT, FailureKind.SIMULATOR, FailureKind.SHAPER);

  /** {@code episodes} episodes, a third completed, the others failed of the first {@code kinds} kinds, skewed. */
  private static RunSummary summary(int episodes, int kinds) {
    EpisodeRuntime.Stats stats = new EpisodeRuntime.Stats(List.of(), null);
    for (int i = 0; i < episodes; i++) {
      Episode e = new Episode(Episode.SCHEMA, "e-" + i, "env", "agent", Task.generated("env", i), i,
          EpisodeStatus.COMPLETED, null, false, 0, null, null, null, null, null, 0, 0);
      if (i % 3 != 0) {
        FailureKind kind = KINDS.get(Math.min(i % 11, kinds - 1) % kinds);
        e = e.asFailed(kind, kind.label() + " broke in episode " + i);
      }
      stats.add(e);
    }
    return stats.summary(1, 0, Map.of());
  }

  @Test
  void summaryFailuresListTheTopFiveKindsAndAnOtherCountSoThatTheyAddUpToTheFailedTotal() {
    RunSummary s = summary(400, 7);
    assertTrue(s.failed() > 0 && s.failed() < 400, "some episodes failed: " + s.failed());
    assertEquals(RunSummary.TOP_FAILURES + 1, s.failures().size(), s.failures().toString());
    RunSummary.FailureCount other = s.failures().get(RunSummary.TOP_FAILURES);
    assertEquals(RunSummary.OTHER_FAILURES, other.kind());
    assertTrue(other.example().startsWith("2 other kinds; the most frequent: "), other.example());
    assertEquals(s.failed(), s.failures().stream().mapToLong(RunSummary.FailureCount::count).sum(),
        "the counts add up to the failed total: " + s.failures());
  }

  @Test
  void withFiveKindsOrFewerThereIsNoOtherEntry() {
    RunSummary s = summary(200, 5);
    assertTrue(s.failures().stream().noneMatch(f -> f.kind().equals(RunSummary.OTHER_FAILURES)), s.failures().toString());
    assertEquals(5, s.failures().size(), s.failures().toString());
    assertEquals(s.failed(), s.failures().stream().mapToLong(RunSummary.FailureCount::count).sum());
  }

  @Test
  void agentFailuresWithDifferentReasonsAreOneKindAndThoseTheAgentCallsTransportAnother() throws Exception {
    List<AgentResponse> failures = List.of(AgentResponse.failure("server said alpha"),
        AgentResponse.failure("server said bravo 42 (openai/timeout in the text decides nothing)"),
        AgentResponse.failure(FailureKind.TRANSPORT, "openai/timeout: no answer in 400 ms"));
    Agent failing = r -> CompletableFuture.completedFuture(r.seed() % 3 == 0
        ? AgentResponse.reply(Message.assistant("tick"))
        : failures.get(Math.floorMod(r.seed(), failures.size())));
    RunSummary s;
    try (EpisodeRuntime runtime = EpisodeRuntime.start(RuntimeOptions.defaults())) {
      s = runtime.run(new Rollout("run", new CountdownProvider().bind(new CountdownProvider.Config(2, 0, 0, false, 0)),
          "failing", failing, RolloutOptions.of(120, 16, 3)), EpisodeSink.discard(), EpisodeListener.none())
          .toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
    assertTrue(s.failed() > 0, s.toString());
    assertEquals(List.of("agent", "transport"), s.failures().stream().map(RunSummary.FailureCount::kind).sorted()
        .toList(), s.failures().toString());
    assertTrue(s.failures().stream().filter(f -> f.kind().equals("transport"))
        .allMatch(f -> f.example().startsWith("agent failed at turn 0: openai/timeout")), s.failures().toString());
    assertEquals(s.failed(), s.failures().stream().mapToLong(RunSummary.FailureCount::count).sum());
  }
}
