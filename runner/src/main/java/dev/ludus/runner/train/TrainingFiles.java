package dev.ludus.runner.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.store.EpisodeStore;
import dev.ludus.runner.store.RunDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files of a training run's directory (a {@link RunDirectory} with more in it): {@code config.yaml} (the resolved configuration), {@code episodes.jsonl},
 * {@code metrics.jsonl} ({@link IterationMetrics}), {@code evaluations.jsonl}, {@code tb/} and
 * {@code checkpoints/} ({@link Checkpoints}). Immutable.
 */
final class TrainingFiles {
  /** The iteration in a training episode's id: {@code <run>-it<N>-<index>} or {@code <run>-it<N>r<round>-<index>}. */
  private static final Pattern ITERATION = Pattern.compile("-it(\\d+)(?:r\\d+)?-\\d+(?:-[^-]+)?$");

  private final RunDirectory run;

  private TrainingFiles(RunDirectory run) {
    this.run = run;
  }

  /**
   * The run directory {@code root}, created if missing, with {@code config.yaml} written from {@code resolved}
   * (null on a resume, which keeps the run's own).
   */
  static TrainingFiles prepare(Path root, ObjectNode resolved) {
    try {
      Files.createDirectories(root);
      if (resolved != null) {
        Json.YAML.writeValue(new RunDirectory(root).config().toFile(), resolved);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the run directory " + root + ": " + e.getMessage(), e);
    }
    return new TrainingFiles(new RunDirectory(root));
  }

  Path root() {
    return run.path();
  }

  /** The run's id, its directory's name: the prefix of every episode id, the same on a resume. */
  String runId() {
    return run.path().getFileName().toString();
  }

  Path episodes() {
    return run.episodes();
  }

  Path metrics() {
    return run.path().resolve("metrics.jsonl");
  }

  Path evaluations() {
    return run.path().resolve("evaluations.jsonl");
  }

  Path checkpoints() {
    return run.path().resolve("checkpoints");
  }

  /** What {@link #dropAfter} removed. */
  record Dropped(long episodes, long metricsLines) {}

  /**
   * Before a resume that starts at iteration {@code first}: drops from {@code episodes.jsonl} the episodes of
   * iterations {@code first} and later, and from {@code metrics.jsonl} their lines (and a torn last line), so the
   * resumed run writes them once. Both files are rewritten beside and renamed over.
   */
  Dropped dropAfter(int first) {
    long dropped = EpisodeStore.retain(episodes(), e -> {
      Matcher m = ITERATION.matcher(e.id());
      return !m.find() || Integer.parseInt(m.group(1)) < first;
    });
    Path metrics = metrics();
    long droppedLines = 0;
    if (Files.exists(metrics)) {
      try {
        List<String> kept = new ArrayList<>();
        for (String line : Files.readAllLines(metrics, StandardCharsets.UTF_8)) {
          if (line.isBlank()) {
            continue;
          }
          JsonNode m;
          try {
            m = Json.JSON.readTree(line);
          } catch (IOException torn) {
            droppedLines++; // a line a kill cut short
            continue;
          }
          if (m.path("iteration").asInt(Integer.MAX_VALUE) < first) {
            kept.add(line);
          } else {
            droppedLines++;
          }
        }
        Path tmp = metrics.resolveSibling("metrics.jsonl.tmp");
        Files.write(tmp, kept, StandardCharsets.UTF_8);
        Files.move(tmp, metrics, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot rewrite " + metrics + ": " + e.getMessage(), e);
      }
    }
    return new Dropped(dropped, droppedLines);
  }
}
