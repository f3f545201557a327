package dev.ludus.runner.dashboard;

import dev.ludus.runner.config.Json;
import dev.ludus.runner.runtime.RunSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One run directory as the dashboard reads it: its metrics tailed, its episodes indexed, the rest read on request.
 * Thread-safe; every method blocks on file I/O, so call them off the event loop.
 */
final class RunFiles {
  static final String METRICS = "metrics.jsonl";
  static final String EPISODES = "episodes.jsonl";
  static final String SUMMARY = "summary.json";
  static final String EVALUATIONS = "evaluations.jsonl";
  static final String CONFIG = "config.yaml";
  static final String REPORT = "report.html";
  private static final int MAX_CONFIG_CHARS = 64 * 1024;
  /** How much more of a store one listing of the runs indexes at most, so that listing many large runs stays quick. */
  static final long LIST_BUDGET = 8L << 20;

  private final String id;
  private final Path dir;
  private final MetricsTail metrics;
  private final EpisodeIndex episodes;

  RunFiles(String id, Path dir) {
    this.id = id;
    this.dir = dir;
    this.metrics = new MetricsTail(dir.resolve(METRICS));
    this.episodes = new EpisodeIndex(dir.resolve(EPISODES));
  }

  /** Whether {@code dir} holds a run: any of the files a rollout or a training run writes. */
  static boolean isRun(Path dir) {
    return Files.isRegularFile(dir.resolve(EPISODES)) || Files.isRegularFile(dir.resolve(METRICS))
        || Files.isRegularFile(dir.resolve(SUMMARY));
  }

  String id() {
    return id;
  }

  Path dir() {
    return dir;
  }

  MetricsTail metrics() {
    return metrics;
  }

  EpisodeIndex episodes() {
    return episodes;
  }

  Views.RunInfo info() {
    boolean training = Files.exists(dir.resolve(METRICS)) || Files.exists(dir.resolve(EVALUATIONS));
    EpisodeIndex.Progress p = episodes.advance(LIST_BUDGET);
    return new Views.RunInfo(id, dir.toString(), training ? "train" : "rollout", p.env(), p.episodes(),
        p.pendingBytes(), metrics.size(), Files.isRegularFile(dir.resolve(REPORT)));
  }

  Views.RunOverview overview() {
    Views.EpisodeStats stats = episodes.stats(); // indexes the whole store first
    return new Views.RunOverview(info(), stats, summary(), evaluations(), config());
  }

  private RunSummary summary() {
    Path f = dir.resolve(SUMMARY);
    if (!Files.isRegularFile(f)) {
      return null;
    }
    try {
      return Json.JSON.readValue(f.toFile(), RunSummary.class);
    } catch (IOException e) {
      return null; // being written, or not a summary: the episode counts still stand
    }
  }

  private List<Views.Evaluation> evaluations() {
    Path f = dir.resolve(EVALUATIONS);
    List<Views.Evaluation> out = new ArrayList<>();
    if (!Files.isRegularFile(f)) {
      return out;
    }
    try {
      Lines.read(f, 0, (start, bytes, off, len) -> {
        try {
          if (len > 0) {
            out.add(Json.JSON.readValue(bytes, off, len, Views.Evaluation.class));
          }
        } catch (IOException e) {
          // a line that is not an evaluation is left out
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
    }
    return out;
  }

  private String config() {
    Path f = dir.resolve(CONFIG);
    if (!Files.isRegularFile(f)) {
      return null;
    }
    try {
      String text = Files.readString(f, StandardCharsets.UTF_8);
      return text.length() > MAX_CONFIG_CHARS ? text.substring(0, MAX_CONFIG_CHARS) + "\n# (cut)" : text;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
    }
  }
}
