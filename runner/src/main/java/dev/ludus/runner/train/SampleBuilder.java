package dev.ludus.runner.train;

import dev.ludus.api.Episode;
import dev.ludus.api.TokenTrace;
import dev.ludus.api.Turn;
import dev.ludus.runner.learn.PackedSample;
import dev.ludus.runner.learn.Sample;
import dev.ludus.runner.learn.StateValues;
import dev.ludus.runner.learn.advantage.TokenAdvantages;
import java.util.ArrayList;
import java.util.List;

/**
 * An iteration's advantages as the learner's samples: every agent turn's {@link TokenTrace} (never re-tokenized
 * text) with its advantages becomes a {@link Sample} carrying the sampling temperature (and, with a critic, its value
 * target and old value); turns without output are left out, turns more than {@code maxStaleness} policy versions
 * behind are dropped and counted, and turns whose advantages are all zero carry no policy gradient and are skipped
 * and counted (not with a critic: a zero advantage still has a value target). Packed, each episode's trained turns
 * also become as few rows as the prefix property allows ({@link PackedSample#pack}). Stateless.
 */
final class SampleBuilder {
  private SampleBuilder() {}

  /**
   * The samples of one iteration.
   *
   * @param samples one per trained turn
   * @param rows the packed rows (empty unpacked)
   * @param splitEpisodes episodes whose turns needed more than one row
   * @param zeroAdvantageTurns turns skipped for all-zero advantages
   * @param dropped turns dropped for staleness
   * @param maxStaleness the most versions a kept sample lags
   * @param meanStaleness the mean over the kept samples, 0 without any
   */
  record Batch(List<Sample> samples, List<PackedSample> rows, int splitEpisodes, int zeroAdvantageTurns, int dropped,
      long maxStaleness, double meanStaleness) {}

  /**
   * @param version the policy's version now: a sample's staleness is how far its behaviour version lags it
   * @param values the critic's values of the turns' states, or null without a critic
   */
  static Batch build(List<TokenAdvantages> advantages, StateValues values, long version, long maxStaleness,
      double samplingTemperature, boolean packing) {
    List<Sample> samples = new ArrayList<>();
    // packed: each episode's trained turns as few rows as the prefix property allows (one when it holds throughout)
    List<PackedSample> rows = new ArrayList<>();
    int splitEpisodes = 0;
    int zero = 0;
    int dropped = 0;
    long maxStale = 0;
    long staleSum = 0;
    for (TokenAdvantages ta : advantages) {
      Episode e = ta.episode();
      int episodeStart = samples.size();
      for (int t = 0; t < ta.turns(); t++) {
        Turn turn = e.turns().get(t);
        TokenTrace trace = turn.tokens();
        if (trace == null || trace.outputIds().length == 0) {
          continue;
        }
        long staleness = trace.policyVersion() < 0 ? 0 : version - trace.policyVersion();
        if (staleness > maxStaleness) {
          dropped++;
          continue;
        }
        float[] a = ta.advantages()[t];
        boolean critic = ta.hasValueTargets() && values != null;
        if (allZero(a) && !critic) {
          zero++;
          continue;
        }
        maxStale = Math.max(maxStale, staleness);
        staleSum += staleness;
        Sample sample = Sample.of(turn, a).withTemperature(samplingTemperature);
        samples.add(critic ? sample.withValueTarget(ta.valueTargets()[t], values.value(e, t)) : sample);
      }
      if (packing && samples.size() > episodeStart) {
        List<PackedSample> packed = PackedSample.pack(samples.subList(episodeStart, samples.size()));
        rows.addAll(packed);
        splitEpisodes += packed.size() > 1 ? 1 : 0;
      }
    }
    return new Batch(samples, rows, splitEpisodes, zero, dropped, maxStale,
        samples.isEmpty() ? 0 : (double) staleSum / samples.size());
  }

  static boolean allZero(float[] a) {
    for (float x : a) {
      if (x != 0f) {
        return false;
      }
    }
    return true;
  }
}
