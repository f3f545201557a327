package dev.ludus.runner.train;

import dev.ludus.api.Agent;
import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.runner.metrics.ProcessCpu;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The held-out evaluations: {@code evalEpisodes} episodes on seeds the training iterations never use
 * ({@link Rollouts#EVAL_SEED_OFFSET}) of the environment's held-out tasks where it declares them (a dev split:
 * {@link dev.ludus.api.EnvironmentProvider#heldOut}), unscored, each giving a line of {@code evaluations.jsonl} ({@code evaluation}
 * {@link EvaluationMetrics}). In a multi-agent environment the line names the opponent: self-play, or the frozen
 * partner once there is one (then only the policy's seat is counted, as Lewis et al. report agreement against their
 * fixed supervised model). Keeps the
 * wall and CPU time they took, and the last one's. Not thread-safe; closed by its opener (closes the file).
 */
final class HeldOutEvaluation implements AutoCloseable {
  private final TrainConfig config;
  private final Rollouts rollouts;
  private final BufferedWriter lines;
  private long nanos;
  private long lastNanos;
  private long lastCpuNanos;
  private long cpuNanos;

  private HeldOutEvaluation(TrainConfig config, Rollouts rollouts, BufferedWriter lines) {
    this.config = config;
    this.rollouts = rollouts;
    this.lines = lines;
  }

  /** Appends to {@code file}. */
  static HeldOutEvaluation open(TrainConfig config, Rollouts rollouts, Path file) throws IOException {
    return new HeldOutEvaluation(config, rollouts, Files.newBufferedWriter(file, StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND));
  }

  /**
   * Plays the evaluation with {@code evaluator} and writes its line.
   *
   * @param label {@code before}, {@code resume}, {@code after-warm-start} or {@code after}
   * @param warmStart written with the line when not null (after a warm start)
   * @return the share of episodes that succeeded
   */
  double evaluate(Agent evaluator, String runId, String label, Trainer.WarmStart warmStart)
      throws InterruptedException, IOException {
    long started = System.nanoTime();
    long cpuStarted = ProcessCpu.nanos();
    List<Episode> played = rollouts.heldOut(evaluator, runId, config.evalEpisodes(),
        config.seed() + Rollouts.EVAL_SEED_OFFSET);
    double success = played.stream().filter(Episode::success).count() / (double) played.size();
    EvaluationMetrics line = new EvaluationMetrics(label, played.size(), success,
        played.stream().mapToInt(e -> e.turns().size()).average().orElse(0), warmStart,
        played.stream().mapToDouble(Episode::totalReward).average().orElse(0),
        (int) played.stream().filter(e -> e.status() == EpisodeStatus.FAILED).count(), rollouts.opponent());
    lines.write(line.toJson());
    lines.newLine();
    lines.flush();
    lastNanos = System.nanoTime() - started;
    lastCpuNanos = ProcessCpu.nanos() - cpuStarted;
    nanos += lastNanos;
    cpuNanos += lastCpuNanos;
    return success;
  }

  /** The wall time of the evaluations so far, in seconds. */
  double seconds() {
    return nanos / 1e9;
  }

  /** The process CPU time of the evaluations so far, in seconds. */
  double cpuSeconds() {
    return cpuNanos / 1e9;
  }

  /** The last evaluation's wall and CPU time (the process's, all threads), e.g. {@code 12.3 s wall, 20.1 s CPU}. */
  String lastTime() {
    return String.format(java.util.Locale.ROOT, "%.1f s wall, %.1f s CPU", lastNanos / 1e9, lastCpuNanos / 1e9);
  }

  @Override
  public void close() throws IOException {
    lines.close();
  }
}
