package dev.ludus.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.EnvChecker;
import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.Message;
import dev.ludus.api.NoConfig;
import dev.ludus.runner.runtime.EpisodeListener;
import dev.ludus.runner.runtime.EpisodeRuntime;
import dev.ludus.runner.runtime.Rollout;
import dev.ludus.runner.runtime.RolloutOptions;
import dev.ludus.runner.runtime.RuntimeOptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's multi-agent example works (ReadmeExamplesTest checks that the README shows it verbatim). */
class SealedBidTest {
  @Test
  void itPassesTheEnvironmentCheckerForMultiAgentEnvironments() {
    EnvChecker.Report r = EnvChecker.check(new SealedBid().bind(NoConfig.INSTANCE)).assertPassed();
    assertEquals(8, r.checks().size());
  }

  @Test
  void theRuntimePlaysOneAgentPerSeatAndRecordsAnEpisodePerSeat() throws Exception {
    BoundEnvironment env = new SealedBid().bind(NoConfig.INSTANCE);
    // bids half of the value its own observation shows: "The item is worth 57 to you. Your bid?"
    Agent shade = r -> CompletableFuture.completedFuture(AgentResponse.reply(Message.assistant(String.valueOf(
        Integer.parseInt(r.conversation().get(0).content().replaceAll("\\D", "")) / 2))));
    ConcurrentLinkedQueue<Episode> got = new ConcurrentLinkedQueue<>();
    try (EpisodeRuntime runtime = EpisodeRuntime.start(RuntimeOptions.defaults().withMaxEventLoopBlockMillis(1_000))) {
      runtime.run(new Rollout("auction", env, "random", env.randomAgent(), RolloutOptions.of(30, 8, 1))
          .withSeatAgents(Map.of("south", new Rollout.SeatAgent("shade", shade))), e -> {
            got.add(e);
            return CompletableFuture.completedFuture(null);
          }, EpisodeListener.none()).toCompletableFuture().get(60, TimeUnit.SECONDS);
      assertEquals(0, runtime.blockedThreadWarnings());
    }
    assertEquals(60, got.size());
    Map<String, List<Episode>> matches = got.stream().collect(Collectors.groupingBy(Episode::match));
    assertEquals(30, matches.size());
    for (List<Episode> sides : matches.values()) {
      assertEquals(2, sides.size());
      long winners = sides.stream().filter(Episode::success).count();
      assertTrue(winners <= 1, "at most one seat buys the item");
      for (Episode e : sides) {
        assertEquals(EpisodeStatus.COMPLETED, e.status());
        assertEquals(e.seat().equals("south") ? "shade" : "random", e.agent());
        int value = e.startSignals().get(SealedBid.VALUE).orElseThrow();
        int bid = Integer.parseInt(e.turns().get(0).action().content());
        assertEquals(e.success() ? value - bid : 0, e.totalReward(), 1e-9);
      }
    }
  }
}
