package dev.ludus.shaping.transform;

import dev.ludus.api.ComponentValues;
import dev.ludus.api.RewardTransform;
import dev.ludus.api.TransformProvider;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code running-norm}: running reward normalizers, the normalization baselines of Fu et al., <i>Reward
 * Shaping to Mitigate Reward Hacking in RLHF</i> (2025). Statistics accumulate over every group seen so far
 * (each group is a batch), and each group is normalized with the statistics that include it:
 * {@code meanstd: r̃ = (r − μ) / σ}; {@code minmax: r̃ = (r − min) / (max − min)};
 * {@code clip: r̃ = clamp(r, μ − σ, μ + σ)}.
 *
 * <p>Provenance [CODE: PorUna-byte/PAR {@code src/trainers/reward_shaper.py}, {@code RunningMeanStd},
 * {@code RunningMinMax}]: batch mean and population variance merged into the running ones with Chan et
 * al.'s parallel algorithm; {@code σ = sqrt(max(M2 / n, ε))}; the min–max range is at least ε; update, then
 * normalize. A batch here is one group's values of one component (all episodes and turns); each component
 * the transform is applied to keeps its own statistics (keyed by {@code shaper/component}).
 *
 * <p>Law: {@code minmax} output is in [0, 1] (from the first batch on, since the batch is in the
 * extremes). Thread-safe: the statistics live in the transform and every call is synchronized, so they
 * evolve in the order groups arrive.
 */
public final class RunningNormTransformProvider implements TransformProvider<RunningNormTransformProvider.Config> {

  static final List<String> MODES = List.of("meanstd", "minmax", "clip");

  /**
   * @param mode {@code meanstd}, {@code minmax} or {@code clip}
   * @param epsilon the floor on the variance ({@code meanstd}, {@code clip}) and on the range
   *     ({@code minmax}), in (0, 1]; PAR uses 1e-8
   */
  public record Config(String mode, double epsilon) {
    public Config {
      Cells.oneOf(mode, "mode", MODES);
      if (!(epsilon > 0 && epsilon <= 1)) {
        throw new IllegalArgumentException("epsilon must be a number in (0, 1], was " + epsilon);
      }
    }
  }

  public RunningNormTransformProvider() {}

  @Override
  public String name() {
    return "running-norm";
  }

  @Override
  public String description() {
    return "rewards normalized by running statistics over all groups so far: mean/std, min/max or clamp to μ ± σ";
  }

  @Override
  public String formula() {
    return "meanstd: (r − μ)/σ; minmax: (r − min)/(max − min); clip: clamp(r, μ − σ, μ + σ), running stats";
  }

  @Override
  public String reference() {
    return "Reward Shaping to Mitigate Reward Hacking in RLHF (Fu et al., 2025), normalization baselines "
        + "[CODE: PorUna-byte/PAR]";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return new Config("meanstd", 1e-8);
  }

  @Override
  public RewardTransform create(Config config) {
    return new RunningNorm(config);
  }

  /** The transform; per component, its running statistics. */
  static final class RunningNorm implements RewardTransform {
    private final Config config;
    private final Map<String, Stats> stats = new HashMap<>();

    RunningNorm(Config config) {
      this.config = config;
    }

    @Override
    public synchronized double[][] apply(ComponentValues values) {
      double[] batch = Cells.present(values.values());
      if (batch.length == 0) {
        return Cells.copy(values.values());
      }
      Stats s = stats.computeIfAbsent(values.label(), k -> new Stats());
      s.update(batch);
      double eps = config.epsilon();
      return switch (config.mode()) {
        case "meanstd" -> {
          double mu = s.mean;
          double sd = s.std(eps);
          yield Cells.map(values.values(), r -> (r - mu) / sd);
        }
        case "minmax" -> {
          double lo = s.min;
          double range = Math.max(s.max - s.min, eps);
          yield Cells.map(values.values(), r -> (r - lo) / range);
        }
        case "clip" -> {
          double lo = s.mean - s.std(eps);
          double hi = s.mean + s.std(eps);
          yield Cells.map(values.values(), r -> Math.min(Math.max(r, lo), hi));
        }
        default -> throw new IllegalStateException("unknown mode " + config.mode());
      };
    }
  }

  /** Running count, mean, M2 (Chan et al.'s merge) and extremes. Guarded by the transform's lock. */
  static final class Stats {
    long count;
    double mean;
    double m2;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;

    void update(double[] batch) {
      int n = batch.length;
      double batchMean = 0;
      for (double x : batch) {
        batchMean += x;
        min = Math.min(min, x);
        max = Math.max(max, x);
      }
      batchMean /= n;
      double batchM2 = 0;
      for (double x : batch) {
        batchM2 += (x - batchMean) * (x - batchMean);
      }
      if (count == 0) {
        count = n;
        mean = batchMean;
        m2 = batchM2;
        return;
      }
      double delta = batchMean - mean;
      long total = count + n;
      mean += delta * n / total;
      m2 += batchM2 + delta * delta * count * n / total;
      count = total;
    }

    double std(double eps) {
      return Math.sqrt(Math.max(m2 / count, eps));
    }
  }
}
