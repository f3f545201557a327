package dev.ludus.runner.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.Message;
import dev.ludus.runner.testenv.CountdownProvider;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Issue 16, finding 7: a concurrency the heap cannot hold is lowered to the heap's budget instead of exhausting it. */
class HeapBudgetTest {

  @Test
  void theInFlightLimitIsHalfTheHeapOverTheBudgetPerEpisodeAndNeverMoreThanAsked() {
    RuntimeOptions o = RuntimeOptions.defaults().withEpisodeHeapBytes(256 * 1024);
    long mib128 = 128L << 20;
    assertEquals(256, o.inFlightLimit(10_000, mib128), "128 MiB: 64 MiB at 256 KiB each");
    assertEquals(100, o.inFlightLimit(100, mib128), "never more than asked");
    assertEquals(RuntimeOptions.MIN_IN_FLIGHT, o.inFlightLimit(10_000, 1L << 20), "never fewer than the minimum");
    assertEquals(10_000, o.withEpisodeHeapBytes(0).inFlightLimit(10_000, mib128), "0 turns the budget off");
  }

  @Test
  void aRolloutAskingForMoreThanTheHeapHoldsKeepsToTheBudgetAndStillPlaysEveryEpisode() throws Exception {
    long maxHeap = Runtime.getRuntime().maxMemory();
    RuntimeOptions options = RuntimeOptions.defaults().withEpisodeHeapBytes(maxHeap / 2 / 24);
    int limit = options.inFlightLimit(1_000, maxHeap);
    assertTrue(limit >= 16 && limit <= 25, "the budget allows about 24: " + limit);
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    Agent slow = r -> {
      most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      CompletableFuture<AgentResponse> f = new CompletableFuture<>();
      timer.schedule(() -> {
        inFlight.decrementAndGet();
        f.complete(AgentResponse.reply(Message.assistant("tick")));
      }, 2, TimeUnit.MILLISECONDS);
      return f;
    };
    try (EpisodeRuntime runtime = EpisodeRuntime.start(options)) {
      RunSummary s = runtime.run(new Rollout("budget", new CountdownProvider().bind(
              new CountdownProvider.Config(2, 0, 0, false, 0)), "slow", slow, RolloutOptions.of(300, 1_000, 1)),
          EpisodeSink.discard(), e -> assertEquals(EpisodeStatus.COMPLETED, e.status()))
          .toCompletableFuture().get(60, TimeUnit.SECONDS);
      assertEquals(300, s.episodes());
      assertEquals(300, s.completed());
    } finally {
      timer.shutdownNow();
    }
    assertTrue(most.get() <= limit, "at most " + limit + " episodes in flight, saw " + most.get());
    assertTrue(most.get() > limit / 2, "the budget is used: " + most.get());
  }
}
