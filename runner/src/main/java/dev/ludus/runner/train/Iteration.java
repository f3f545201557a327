package dev.ludus.runner.train;

import dev.ludus.api.Episode;
import dev.ludus.runner.learn.UpdateStats;
import dev.ludus.runner.learn.advantage.AdvantageStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One iteration's outcome: what was played and what the learner did with it.
 *
 * @param episodes every episode played
 * @param updates the learner's updates, in order (none when every advantage was 0)
 * @param samples samples trained on
 * @param zeroAdvantageTurns turns skipped for all-zero advantages
 * @param dropped turns dropped for staleness
 * @param maxStaleness the most policy versions a sample lagged
 * @param meanStaleness the mean lag
 * @param rolloutSeconds the wait for the rollouts
 * @param updateSeconds advantages, samples and updates
 * @param scoringSeconds the shaping pipeline's share of the rollouts
 * @param advantages the advantages' statistics
 * @param sampling what dynamic sampling did
 * @param layout how the samples were laid out
 * @param preference the preference step's summary, or null for a policy-gradient iteration
 */
record Iteration(List<Episode> episodes, List<UpdateStats> updates, int samples, int zeroAdvantageTurns, int dropped,
    long maxStaleness, double meanStaleness, double rolloutSeconds, double updateSeconds, double scoringSeconds,
    AdvantageStats advantages, Trainer.SamplingStats sampling, IterationMetrics.Layout layout,
    IterationMetrics.Preference preference) {

  /** A policy-gradient iteration (no preference summary). */
  Iteration(List<Episode> episodes, List<UpdateStats> updates, int samples, int zeroAdvantageTurns, int dropped,
      long maxStaleness, double meanStaleness, double rolloutSeconds, double updateSeconds, double scoringSeconds,
      AdvantageStats advantages, Trainer.SamplingStats sampling, IterationMetrics.Layout layout) {
    this(episodes, updates, samples, zeroAdvantageTurns, dropped, maxStaleness, meanStaleness, rolloutSeconds,
        updateSeconds, scoringSeconds, advantages, sampling, layout, null);
  }

  /** Its lines of {@code metrics.jsonl} as iteration {@code it}: one per update, or one without an update. */
  List<IterationMetrics> metrics(int it) {
    List<IterationMetrics> lines = new ArrayList<>();
    if (updates.isEmpty()) {
      lines.add(IterationMetrics.of(it, this, null));
    }
    for (UpdateStats s : updates) {
      lines.add(IterationMetrics.of(it, this, s));
    }
    return lines;
  }

  /** The output tokens its updates trained on. */
  long trainedTokens() {
    return updates.stream().mapToLong(UpdateStats::tokens).sum();
  }

  /** Its progress line as iteration {@code it} of {@code iterations}. */
  String progressLine(int it, int iterations) {
    UpdateStats s = updates.isEmpty() ? null : updates.get(updates.size() - 1);
    long cells = updates.stream().mapToLong(UpdateStats::paddedCells).sum();
    return String.format(Locale.ROOT, "iter %3d/%d  success %.3f  return %.3f  turns %.2f  %s  samples %d%s  "
            + "trained %.1f%% of cells  rollout wait %.1fs update %.1fs", it + 1, iterations,
        IterationMetrics.success(episodes), IterationMetrics.meanShapedReturn(episodes),
        episodes.stream().mapToInt(e -> e.turns().size()).average().orElse(0),
        s == null ? "no update (all advantages 0)"
            : String.format(Locale.ROOT, "loss %+.4f entropy %.3f", s.loss(), s.entropy()),
        samples, layout.packed() ? " in " + layout.rows() + " rows" : "",
        cells == 0 ? 0 : 100.0 * trainedTokens() / cells, rolloutSeconds, updateSeconds);
  }
}
