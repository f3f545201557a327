package dev.ludus.runner.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.agents.djl.HistoryWindow;
import dev.ludus.agents.djl.LmTokenizer;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.learn.LearnerCheckpoint;
import dev.ludus.runner.learn.PolicyLearner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A run's {@code checkpoints/step-NNNNNN} ({@link PolicyLearner#save}, named by the optimizer step, with the policy's
 * tokenizer and history window, so that the policy loads as it was trained) and when to write them: every {@code checkpointEvery} iterations, at the end of an iteration once
 * {@code checkpointEveryMinutes} have passed since the last one (and after a warm start that took that long), and
 * at the end. A checkpoint counts only once its sidecar {@code step-NNNNNN.json} (the next iteration) exists. Not
 * thread-safe (the training loop's thread).
 */
final class Checkpoints {
  private final Path dir;
  private final PolicyLearner learner;
  private final LmTokenizer tokenizer;
  private final int historyWindow;
  private final TrainConfig config;
  private long last;

  /**
   * @param historyWindow the policy's history window ({@link HistoryWindow}), saved with it
   * @param runStarted {@link System#nanoTime()} at the start of the run: the time schedule counts from it
   */
  Checkpoints(Path dir, PolicyLearner learner, LmTokenizer tokenizer, int historyWindow, TrainConfig config,
      long runStarted) {
    this.dir = dir;
    this.learner = learner;
    this.tokenizer = tokenizer;
    this.historyWindow = historyWindow;
    this.config = config;
    this.last = runStarted;
  }

  /** After a fresh run's warm start: saves one if the warm start took {@code checkpointEveryMinutes}. */
  void afterWarmStart() throws IOException {
    // a long warm start is work a kill should not take: a resume then starts RL at iteration 0 without it
    if (config.warmStartEpisodes() > 0 && config.checkpointEveryMinutes() > 0
        && minutesSince(last) >= config.checkpointEveryMinutes()) {
      saveNow(0);
    }
  }

  /** After iteration {@code it}: saves one when the schedule says so and iterations remain. */
  void afterIteration(int it) throws IOException {
    boolean byCount = config.checkpointEvery() > 0 && (it + 1) % config.checkpointEvery() == 0;
    boolean byTime = config.checkpointEveryMinutes() > 0 && minutesSince(last) >= config.checkpointEveryMinutes();
    if ((byCount || byTime) && it + 1 < config.iterations()) {
      saveNow(it + 1);
    }
  }

  /** Saves one now, whose resume starts at {@code nextIteration}. */
  void saveNow(int nextIteration) throws IOException {
    Path step = dir.resolve(String.format(Locale.ROOT, "step-%06d", learner.steps()));
    learner.save(step);
    tokenizer.save(step.resolve(LearnerCheckpoint.POLICY).resolve(LmTokenizer.FILE_NAME)); // the policy's own tokenizer
    HistoryWindow.save(step.resolve(LearnerCheckpoint.POLICY), historyWindow); // and how much of a conversation it reads
    ObjectNode state = Json.JSON.createObjectNode().put("nextIteration", nextIteration).put("step", learner.steps());
    Path tmp = dir.resolve(step.getFileName() + ".json.tmp");
    Files.writeString(tmp, Json.JSON.writeValueAsString(state), StandardCharsets.UTF_8);
    Files.move(tmp, dir.resolve(step.getFileName() + ".json"), StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
    last = System.nanoTime();
  }

  /** The newest complete checkpoint under {@code runDirectory/checkpoints}, if any. */
  static Optional<Path> latest(Path runDirectory) {
    Path dir = runDirectory.resolve("checkpoints");
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith("step-")).filter(LearnerCheckpoint::exists)
          .filter(p -> Files.isRegularFile(p.resolveSibling(p.getFileName() + ".json")))
          .max(Comparator.comparing(p -> p.getFileName().toString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The iteration a resume from {@code checkpoint} starts at, from its sidecar. */
  static int nextIteration(Path checkpoint) {
    Path sidecar = checkpoint.resolveSibling(checkpoint.getFileName() + ".json");
    try {
      return Json.JSON.readTree(sidecar.toFile()).path("nextIteration").asInt();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + sidecar + ": " + e.getMessage(), e);
    }
  }

  private static double minutesSince(long nanos) {
    return (System.nanoTime() - nanos) / 60e9;
  }
}
