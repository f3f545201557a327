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
 * Heap per in-flight episode (issue 16, finding 7): {@code inFlight} episodes held at once by an agent that
 * answers until a chosen turn and then does not answer, so that every episode sits idle in the runtime, holding
 * its history. The heap in use after a full collection, with every episode held at turn 0 and then at turn
 * {@code turns}, less the heap before the rollout, gives the bytes per idle in-flight episode and per stored turn
 * of history. By default the environment is {@code guess-number} over 1 to 1,000,000,000 (so that no episode ends
 * early) and the agent writes a fixed guess; any registered environment and agent can be measured instead (the
 * agent is wrapped: it answers the turns before the hold). Episodes that end before the hold are left out of the
 * division.
 *
 * <p>Measured in this JVM, with the real runtime, environment and agent. Not thread-safe; one run at a time.
 */
public final class MemoryBenchmark {
  /**
   * What a run measured.
   *
   * @param inFlight episodes held at once at turn 0
   * @param heldAtTurns of those, the episodes still held at turn {@code turns} (the others ended before it)
   * @param turns the turn at which the second measurement holds them
   * @param baselineBytes heap in use before the rollout
   * @param idleBytes heap in use with every episode held at turn 0
   * @param historyBytes heap in use with every episode held at turn {@code turns}
   */
  public record Result(int inFlight, int heldAtTurns, int turns, long baselineBytes, long idleBytes,
      long historyBytes) {
    /** Bytes per idle in-flight episode (at turn 0). */
    public double bytesPerIdleEpisode() {
      return (double) (idleBytes - baselineBytes) / inFlight;
    }

    /** Bytes per stored turn of history. */
    public double bytesPerTurn() {
      // the idle episodes' own cost scaled to the ones still held, then what their turns added
      double idlePart = (idleBytes - baselineBytes) * ((double) heldAtTurns / inFlight);
      return turns == 0 || heldAtTurns == 0 ? 0
          : (historyBytes - baselineBytes - idlePart) / ((double) heldAtTurns * turns);
    }

    /** A few lines for people. */
    public String format() {
      return String.format(Locale.ROOT, """
          heap after a full collection: %.1f MiB before, %.1f MiB with %d episodes idle at turn 0, %.1f MiB with %d \
          idle at turn %d
          per idle in-flight episode  %.0f bytes (%.1f KB; target at most 20 KB)
          per stored turn of history  %.0f bytes (%.2f KB; target at most 2 KB)""",
          baselineBytes / 1048576.0, idleBytes / 1048576.0, inFlight, historyBytes / 1048576.0, heldAtTurns, turns,
          bytesPerIdleEpisode(), bytesPerIdleEpisode() / 1000, bytesPerTurn(), bytesPerTurn() / 1000);
    }
  }

  private MemoryBenchmark() {}

  /** The default measurement: guess-number, a fixed guess, {@code inFlight} episodes, held at 0 and at {@code turns}. */
  public static Result run(Registry registry, int inFlight, int turns) throws Exception {
    return run(registry, "guess-number", "{low: 1, high: 1000000000, maxTurns: 1000}", null, inFlight, turns, 0);
  }

  /**
   * Measures {@code env} (with {@code envConfig}) played by {@code agentName} (null: a fixed guess for
   * guess-number); {@code pauseSeconds} keeps the episodes held that long after each measurement (to take a
   * heap histogram from outside).
   */
  public static Result run(Registry registry, String envName, String envConfig, String agentName, int inFlight,
      int turns, int pauseSeconds) throws Exception {
    if (inFlight < 1 || turns < 1 || turns > 500) {
      throw new IllegalArgumentException("inFlight must be at least 1 and turns in 1..500, were " + inFlight + " and "
          + turns);
    }
    // the heap budget off: the benchmark must hold every episode it asks for
    try (EpisodeRuntime runtime = EpisodeRuntime.start(RuntimeOptions.defaults().withEpisodeHeapBytes(0), registry)) {
      BoundEnvironment env = Plugins.environment(registry, envName, envConfig)
          .withContext(runtime.pluginContext()).probe();
      Plugins.ConfiguredAgent configured = agentName == null ? null : Plugins.agent(registry, agentName, null, env);
      try {
        Agent inner = configured == null ? GUESS : configured.agent();
        hold(runtime, env, inner, Math.min(inFlight, 500), 2, 0); // warm-up: classes loaded, pools sized
        long baseline = usedAfterGc();
        long[] idle = hold(runtime, env, inner, inFlight, 0, pauseSeconds);
        long[] history = hold(runtime, env, inner, inFlight, turns, pauseSeconds);
        return new Result((int) idle[1], (int) history[1], turns, baseline, idle[0], history[0]);
      } finally {
        if (configured != null) {
          configured.close();
        }
      }
    }
  }

  private static final Agent GUESS = request -> CompletableFuture.completedFuture(AgentResponse.reply(
      Message.assistant("I guess <answer>" + (7 + request.turn()) + "</answer>")));

  /**
   * Plays {@code inFlight} episodes, holds them all at turn {@code at} (or until they end), measures the heap,
   * lets them end; the heap in use and the episodes held.
   */
  private static long[] hold(EpisodeRuntime runtime, BoundEnvironment env, Agent inner, int inFlight, int at,
      int pauseSeconds) throws Exception {
    HoldingAgent agent = new HoldingAgent(inner, at, inFlight);
    RolloutOptions options = RolloutOptions.of(inFlight, inFlight, 11).withTimeouts(3_600_000, 3_600_000);
    CompletionStage<RunSummary> run = runtime.run(new Rollout("memory", env, "holding", agent, options),
        EpisodeSink.discard(), e -> agent.settled.countDown());
    if (!agent.settled.await(10, TimeUnit.MINUTES)) {
      throw new IllegalStateException("the episodes did not all reach turn " + at);
    }
    long used = usedAfterGc();
    int held = agent.pending.size();
    if (pauseSeconds > 0) {
      System.out.println("holding " + held + " episodes at turn " + at + " for " + pauseSeconds + " s (pid "
          + ProcessHandle.current().pid() + ")");
      System.out.flush();
      Thread.sleep(pauseSeconds * 1000L);
    }
    agent.release();
    run.toCompletableFuture().get(10, TimeUnit.MINUTES);
    return new long[] {used, held};
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

  /**
   * Lets {@code inner} answer before turn {@code at}; at it, holds the turn until {@link #release()}. An episode
   * settles when it is held or ends.
   */
  private static final class HoldingAgent implements Agent {
    final Agent inner;
    final int at;
    final CountDownLatch settled;
    final ConcurrentLinkedQueue<CompletableFuture<AgentResponse>> pending = new ConcurrentLinkedQueue<>();

    HoldingAgent(Agent inner, int at, int episodes) {
      this.inner = inner;
      this.at = at;
      this.settled = new CountDownLatch(episodes);
    }

    @Override
    public CompletionStage<AgentResponse> act(AgentRequest request) {
      if (request.turn() < at) {
        return inner.act(request);
      }
      CompletableFuture<AgentResponse> f = new CompletableFuture<>();
      pending.add(f);
      settled.countDown();
      return f;
    }

    @Override
    public void episodeEnded(String episodeId) {
      inner.episodeEnded(episodeId);
    }

    void release() {
      for (CompletableFuture<AgentResponse> f; (f = pending.poll()) != null; ) {
        f.complete(AgentResponse.failure("released by the memory benchmark"));
      }
    }
  }
}
