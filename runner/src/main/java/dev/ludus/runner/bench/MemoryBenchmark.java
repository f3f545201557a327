package dev.ludus.runner.bench;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.Message;
import dev.ludus.api.Registry;
import dev.ludus.runner.config.Plugins;
import dev.ludus.runner.runtime.EpisodeListener;
import dev.ludus.runner.runtime.EpisodeRuntime;
import dev.ludus.runner.runtime.EpisodeSink;
import dev.ludus.runner.runtime.Rollout;
import dev.ludus.runner.runtime.RolloutOptions;
import dev.ludus.runner.runtime.RunSummary;
import dev.ludus.runner.runtime.RuntimeOptions;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Heap per in-flight episode (issue 16, finding 7): {@code inFlight} episodes of {@code guess-number} (1 to
 * 1,000,000,000, so that no episode ends early) held at once by an agent that answers at once until a chosen turn
 * and then does not answer, so that every episode sits idle in the runtime, holding its history. The heap in use
 * after a full collection, with every episode held at turn 0 and then at turn {@code turns}, less the heap before
 * the rollout, gives the bytes per idle in-flight episode and per stored turn of history.
 *
 * <p>Measured in this JVM; the runtime, environment and agent are the real ones (the agent is trivial: it
 * writes a guess). Not thread-safe; one run at a time.
 */
public final class MemoryBenchmark {
  /**
   * What a run measured.
   *
   * @param inFlight episodes held at once
   * @param turns the turn at which the second measurement holds them
   * @param baselineBytes heap in use before the rollout
   * @param idleBytes heap in use with every episode held at turn 0
   * @param historyBytes heap in use with every episode held at turn {@code turns}
   */
  public record Result(int inFlight, int turns, long baselineBytes, long idleBytes, long historyBytes) {
    /** Bytes per idle in-flight episode (at turn 0). */
    public double bytesPerIdleEpisode() {
      return (double) (idleBytes - baselineBytes) / inFlight;
    }

    /** Bytes per stored turn of history. */
    public double bytesPerTurn() {
      return turns == 0 ? 0 : (double) (historyBytes - idleBytes) / ((double) inFlight * turns);
    }

    /** A few lines for people. */
    public String format() {
      return String.format(Locale.ROOT, """
          heap after a full collection: %.1f MiB before, %.1f MiB with %d episodes idle at turn 0, %.1f MiB with them \
          idle at turn %d
          per idle in-flight episode  %.0f bytes (%.1f KB; target at most 20 KB)
          per stored turn of history  %.0f bytes (%.2f KB; target at most 2 KB)""",
          baselineBytes / 1048576.0, idleBytes / 1048576.0, inFlight, historyBytes / 1048576.0, turns,
          bytesPerIdleEpisode(), bytesPerIdleEpisode() / 1000, bytesPerTurn(), bytesPerTurn() / 1000);
    }
  }

  private MemoryBenchmark() {}

  /** Runs the measurement: {@code inFlight} episodes at once, the second measurement at turn {@code turns}. */
  public static Result run(Registry registry, int inFlight, int turns) throws Exception {
    if (inFlight < 1 || turns < 1 || turns > 500) {
      throw new IllegalArgumentException("inFlight must be at least 1 and turns in 1..500, were " + inFlight + " and "
          + turns);
    }
    try (EpisodeRuntime runtime = EpisodeRuntime.start(RuntimeOptions.defaults(), registry)) {
      BoundEnvironment env = Plugins.environment(registry, "guess-number",
          "{low: 1, high: 1000000000, maxTurns: 1000}").withContext(runtime.pluginContext()).probe();
      hold(runtime, env, Math.min(inFlight, 500), 2); // warm-up: classes loaded, pools sized
      long baseline = usedAfterGc();
      long idle = hold(runtime, env, inFlight, 0);
      long history = hold(runtime, env, inFlight, turns);
      return new Result(inFlight, turns, baseline, idle, history);
    }
  }

  /** Plays {@code inFlight} episodes, holds them all at turn {@code at}, measures the heap, lets them end. */
  private static long hold(EpisodeRuntime runtime, BoundEnvironment env, int inFlight, int at) throws Exception {
    HoldingAgent agent = new HoldingAgent(at, inFlight);
    RolloutOptions options = RolloutOptions.of(inFlight, inFlight, 11).withTimeouts(3_600_000, 3_600_000);
    CompletionStage<RunSummary> run = runtime.run(new Rollout("memory", env, "holding", agent, options),
        EpisodeSink.discard(), EpisodeListener.none());
    if (!agent.held.await(10, TimeUnit.MINUTES)) {
      throw new IllegalStateException("the episodes did not all reach turn " + at);
    }
    long used = usedAfterGc();
    agent.release();
    run.toCompletableFuture().get(10, TimeUnit.MINUTES);
    return used;
  }

  private static long usedAfterGc() throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(100);
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  /** Answers a guess at once before turn {@code at}; at it, holds the turn until {@link #release()}. */
  private static final class HoldingAgent implements Agent {
    final int at;
    final CountDownLatch held;
    final ConcurrentLinkedQueue<CompletableFuture<AgentResponse>> pending = new ConcurrentLinkedQueue<>();

    HoldingAgent(int at, int episodes) {
      this.at = at;
      this.held = new CountDownLatch(episodes);
    }

    @Override
    public CompletionStage<AgentResponse> act(AgentRequest request) {
      if (request.turn() < at) {
        return CompletableFuture.completedFuture(AgentResponse.reply(Message.assistant("I guess <answer>"
            + (7 + request.turn()) + "</answer>")));
      }
      CompletableFuture<AgentResponse> f = new CompletableFuture<>();
      pending.add(f);
      held.countDown();
      return f;
    }

    void release() {
      for (CompletableFuture<AgentResponse> f; (f = pending.poll()) != null; ) {
        f.complete(AgentResponse.failure("released by the memory benchmark"));
      }
    }
  }
}
