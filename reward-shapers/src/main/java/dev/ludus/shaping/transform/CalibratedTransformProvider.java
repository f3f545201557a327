package dev.ludus.shaping.transform;

import dev.ludus.api.ComponentValues;
import dev.ludus.api.Episode;
import dev.ludus.api.RewardTransform;
import dev.ludus.api.TransformProvider;
import dev.ludus.api.stats.Statistics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code calibrated}: PPO-C's calibrated reward (Leng et al., <i>Taming Overconfidence in LLMs: Reward
 * Calibration in RLHF</i>, 2024). The agent states its confidence ({@code "Confidence: c"}, c in [0, 10]);
 * a response better than the running average is rewarded more for higher confidence, a worse one is
 * penalized more: with {@code r} clamped to [−10, 10], the baseline
 * {@code r̄ ← α · mean(r_batch) + (1 − α) · r̄} and {@code Δ = w · |r| · (c/10 − 0.5)},
 * {@code threshold: r̃ = r + Δ if r ≥ r̄, else r − Δ}; {@code difference: r̃ = r + w · (r − r̄) · (c/10 − 0.5)}.
 *
 * <p>Provenance [CODE: SeanLeng1/Reward-Calibration {@code calibrated_experience_maker.py}]: the pattern
 * {@code Confidence:\s*(\d+(\.\d+)?)} (case-insensitive, first match), clamped to [0, 10], 5 when absent;
 * the reward clamped to [−10, 10] before the baseline; the baseline updated with the batch before it is
 * used; α = 0.1, w = 0.5. Differences, by design: the code initializes the baseline to the reward model's
 * mean, here to the first batch's mean (a batch is one group's values of one component; each component
 * keeps its own baseline); the confidence is read from the episode's last agent message and applies to
 * every turn of that episode. The code scores the response with the confidence line removed: that is the
 * scorer's business, upstream of this transform.
 *
 * <p>Laws: c = 5 leaves r unchanged (for r in [−10, 10]); a below-average response loses reward as c
 * rises. Thread-safe: the baselines live in the transform and every call is synchronized, so they evolve in
 * the order groups arrive.
 */
public final class CalibratedTransformProvider implements TransformProvider<CalibratedTransformProvider.Config> {

  static final List<String> MODES = List.of("threshold", "difference");
  static final Pattern CONFIDENCE = Pattern.compile("Confidence:\\s*(\\d+(\\.\\d+)?)", Pattern.CASE_INSENSITIVE);
  static final double DEFAULT_CONFIDENCE = 5.0;
  static final double CLAMP = 10.0;

  /**
   * @param mode {@code threshold} or {@code difference}
   * @param alpha the baseline's EMA rate, in (0, 1]
   * @param w the adjustment weight, in [0, 10]
   */
  public record Config(String mode, double alpha, double w) {
    public Config {
      Cells.oneOf(mode, "mode", MODES);
      if (!(alpha > 0 && alpha <= 1)) {
        throw new IllegalArgumentException("alpha must be a number in (0, 1], was " + alpha);
      }
      if (!(w >= 0 && w <= 10)) {
        throw new IllegalArgumentException("w must be a number in [0, 10], was " + w);
      }
    }
  }

  public CalibratedTransformProvider() {}

  @Override
  public String name() {
    return "calibrated";
  }

  @Override
  public String description() {
    return "reward adjusted by the agent's stated confidence against a running baseline (PPO-C)";
  }

  @Override
  public String formula() {
    return "r̃ = r ± w·|r|·(c/10 − 0.5) by r ≥ r̄ (threshold) or r̃ = r + w·(r − r̄)·(c/10 − 0.5) (difference)";
  }

  @Override
  public String reference() {
    return "Taming Overconfidence in LLMs: Reward Calibration in RLHF (Leng et al., 2024) "
        + "[CODE: SeanLeng1/Reward-Calibration]";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return new Config("threshold", 0.1, 0.5);
  }

  @Override
  public RewardTransform create(Config config) {
    return new Calibrated(config);
  }

  /** The confidence an agent message states, in [0, 10]; 5 when it states none. */
  static double confidence(String message) {
    Matcher m = CONFIDENCE.matcher(message == null ? "" : message);
    if (!m.find()) {
      return DEFAULT_CONFIDENCE;
    }
    return Math.max(0, Math.min(CLAMP, Double.parseDouble(m.group(1))));
  }

  /** The confidence of an episode: that of its last agent message. */
  static double confidence(Episode e) {
    return e.turns().isEmpty() ? DEFAULT_CONFIDENCE
        : confidence(e.turns().get(e.turns().size() - 1).action().content());
  }

  /** The transform; per component, its baseline r̄. */
  static final class Calibrated implements RewardTransform {
    private final Config config;
    private final Map<String, Double> baselines = new HashMap<>();

    Calibrated(Config config) {
      this.config = config;
    }

    @Override
    public synchronized double[][] apply(ComponentValues values) {
      double[][] clamped = Cells.map(values.values(), r -> Math.max(-CLAMP, Math.min(CLAMP, r)));
      double batchMean = Statistics.meanOfPresent(clamped);
      if (Double.isNaN(batchMean)) {
        return clamped;
      }
      Double previous = baselines.get(values.label());
      double baseline = previous == null ? batchMean
          : config.alpha() * batchMean + (1 - config.alpha()) * previous;
      baselines.put(values.label(), baseline);
      double w = config.w();
      boolean threshold = config.mode().equals("threshold");
      double[][] out = Cells.blankLike(clamped);
      for (int i = 0; i < clamped.length; i++) {
        double c = confidence(values.episodes().get(i)) / 10 - 0.5;
        for (int t = 0; t < clamped[i].length; t++) {
          double r = clamped[i][t];
          if (Double.isNaN(r)) {
            continue;
          }
          if (threshold) {
            double delta = w * Math.abs(r) * c;
            out[i][t] = r >= baseline ? r + delta : r - delta;
          } else {
            out[i][t] = r + w * (r - baseline) * c;
          }
        }
      }
      return out;
    }

    /** The baseline of a component, or NaN before its first batch. */
    synchronized double baseline(String label) {
      Double b = baselines.get(label);
      return b == null ? Double.NaN : b;
    }
  }
}
