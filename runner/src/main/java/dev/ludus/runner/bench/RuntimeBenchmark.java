package dev.ludus.runner.bench;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.AnyEnvironment;
import dev.ludus.api.AsyncEnvironment;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.Environment;
import dev.ludus.api.Message;
import dev.ludus.api.Reset;
import dev.ludus.api.Seeds;
import dev.ludus.api.StepResult;
import dev.ludus.api.Task;
import dev.ludus.runner.runtime.EpisodeRuntime;
import dev.ludus.runner.runtime.EpisodeSink;
import dev.ludus.runner.runtime.Rollout;
import dev.ludus.runner.runtime.RolloutOptions;
import dev.ludus.runner.runtime.RunSummary;
import dev.ludus.runner.store.EpisodeStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * {@code ludus bench runtime}: turns/s of the full runtime (event loops, time limits, episode store on)
 * against a bare Java loop that steps the same environment with the same agent on one thread, measured in
 * one run, as a ratio. Both sides are warmed up at full size first; each runtime measurement is bracketed
 * by two bare-loop measurements, the faster of which is the row's baseline (the conservative choice).
 */
public final class RuntimeBenchmark {
  /** One row: a concurrency level and what each side achieved. */
  public record Row(int concurrency, double bareTurnsPerSecond, double runtimeTurnsPerSecond,
      double runtimeNoStoreTurnsPerSecond, long turns, long blockedThreadWarnings) {
    public double ratio() {
      return runtimeTurnsPerSecond / bareTurnsPerSecond;
    }
  }

  private RuntimeBenchmark() {}

  public static List<Row> run(BoundEnvironment env, String agentName, Agent agent, int episodes, int[] concurrencies)
      throws InterruptedException {
    if (env.multiAgent()) {
      throw new dev.ludus.api.ConfigException("bench runtime compares the runtime with a bare loop over a single-agent "
          + "environment; '" + env.name() + "' has seats " + env.seats());
    }
    Path dir;
    try {
      dir = Files.createTempDirectory("ludus-bench-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Row> rows = new ArrayList<>();
    try (EpisodeRuntime runtime = EpisodeRuntime.start()) {
      // warm-up: both sides, every concurrency, the full size, twice, so that the JIT has seen all of it
      for (int round = 0; round < 2; round++) {
        bare(env, agent, episodes);
        for (int c : concurrencies) {
          runtime(runtime, env, agentName, agent, episodes, c, dir.resolve("warmup-" + c + ".jsonl"));
          runtime(runtime, env, agentName, agent, episodes, c, null);
        }
      }
      for (int c : concurrencies) {
        // the bare loop is measured just before and just after the runtime and the faster of the two is
        // the baseline: a hiccup in the baseline never flatters the runtime's ratio
        double[] before = bare(env, agent, episodes);
        RunSummary s = runtime(runtime, env, agentName, agent, episodes, c, dir.resolve("c" + c + ".jsonl"));
        RunSummary noStore = runtime(runtime, env, agentName, agent, episodes, c, null);
        double[] after = bare(env, agent, episodes);
        double bareRate = Math.max(before[0] / before[1], after[0] / after[1]);
        rows.add(new Row(c, bareRate, s.turnsPerSecond(), noStore.turnsPerSecond(), s.turns(),
            s.blockedThreadWarnings() + noStore.blockedThreadWarnings()));
      }
    } finally {
      try (var files = Files.list(dir)) {
        for (Path p : files.toList()) {
          Files.deleteIfExists(p);
        }
        Files.deleteIfExists(dir);
      } catch (IOException ignored) {
        // a temp directory left behind is harmless
      }
    }
    return rows;
  }

  /** The bare loop: returns {turns, seconds}. */
  static double[] bare(BoundEnvironment env, Agent agent, int episodes) {
    long turns = 0;
    long t0 = System.nanoTime();
    for (int i = 0; i < episodes; i++) {
      Task task = env.tasks().task(i, 0);
      long seed = Seeds.mix(0x5DEECE66DL, i);
      try (AnyEnvironment e = env.create()) {
        Reset reset = e instanceof Environment s ? s.reset(task, seed) : join(((AsyncEnvironment) e).reset(task, seed));
        List<Message> conversation = new ArrayList<>(reset.observation());
        for (int t = 0; t < 1_000; t++) {
          AgentResponse r = join(agent.act(new AgentRequest("bare-" + i, task, seed, t, conversation, reset.tools())));
          Message action = ((AgentResponse.Reply) r).message();
          StepResult step = e instanceof Environment s ? s.step(action) : join(((AsyncEnvironment) e).step(action));
          turns++;
          conversation.add(action);
          conversation.addAll(step.observation());
          if (step.done()) {
            break;
          }
        }
      }
    }
    return new double[] {turns, (System.nanoTime() - t0) / 1e9};
  }

  /** One runtime measurement; with {@code file} null the episodes are discarded instead of stored. */
  private static RunSummary runtime(EpisodeRuntime runtime, BoundEnvironment env, String agentName, Agent agent,
      int episodes, int concurrency, Path file) throws InterruptedException {
    if (file == null) {
      try {
        return runtime.run(new Rollout("bench", env, agentName, agent, RolloutOptions.of(episodes, concurrency, 0)),
            EpisodeSink.discard(), e -> {}).toCompletableFuture().get();
      } catch (ExecutionException e) {
        throw new IllegalStateException("benchmark rollout failed: " + e.getCause(), e.getCause());
      }
    }
    try (EpisodeStore store = EpisodeStore.open(file)) {
      return runtime.run(new Rollout("bench", env, agentName, agent, RolloutOptions.of(episodes, concurrency, 0)),
          store::append, e -> {}).toCompletableFuture().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("benchmark rollout failed: " + e.getCause(), e.getCause());
    }
  }

  private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }
}
