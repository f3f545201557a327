package dev.ludus.shaping.transform;

import dev.ludus.api.RewardTransform;
import dev.ludus.api.TransformProvider;
import dev.ludus.api.stats.Statistics;
import java.util.List;

/**
 * {@code par}: Preference As Reward (Fu et al., <i>Reward Shaping to Mitigate Reward Hacking in RLHF</i>,
 * 2025). A reward is replaced by the probability, under a Bradley–Terry reading, that the response beats
 * reference responses to the same prompt, averaged over M references:
 * {@code r̃ = (1/M) Σ_m σ(r − r_ref,m)}. The bounded, centered result has a slope that falls off away from
 * the references, which is what resists reward hacking.
 *
 * <p>Provenance [CODE: PorUna-byte/PAR {@code src/trainers/reward_shaper.py}]: {@code _shape_par} and the
 * centered sigmoid-like variants of the same file: {@code sigmoid} (default), {@code sigmoid-k}
 * ({@code σ(k·Δ)}, the code's k = 2, 3), {@code tanh} ({@code tanh Δ}) and {@code fitted-poly} (the fifth
 * order least-squares fit of σ on [−4, 4], σ outside). References come from the configuration
 * ({@code from: config}, {@code references}: the rewards of reference responses, the same for every task)
 * or from the group ({@code from: group-mean}, default: one reference, the mean of the component's values
 * over the group, all episodes and turns), which stands in for the reference policy's rewards.
 *
 * <p>Laws (for {@code sigmoid}): the output is in (0, 1) (up to rounding, when |r − r_ref| &lt; 36);
 * it is 0.5 at a single reference; it is monotone in r; its slope is at most 0.25. Stateless and
 * thread-safe.
 */
public final class ParTransformProvider implements TransformProvider<ParTransformProvider.Config> {

  static final List<String> SOURCES = List.of("group-mean", "config");
  static final List<String> VARIANTS = List.of("sigmoid", "sigmoid-k", "tanh", "fitted-poly");

  /**
   * @param from where the references come from: {@code group-mean} or {@code config}
   * @param references the reference rewards when {@code from} is {@code config} (at least one); empty
   *     otherwise
   * @param variant {@code sigmoid}, {@code sigmoid-k}, {@code tanh} or {@code fitted-poly}
   * @param k the slope of {@code sigmoid-k}, in (0, 100]
   */
  public record Config(String from, List<Double> references, String variant, double k) {
    public Config {
      Cells.oneOf(from, "from", SOURCES);
      Cells.oneOf(variant, "variant", VARIANTS);
      references = references == null ? List.of() : List.copyOf(references);
      if (from.equals("config") && references.isEmpty()) {
        throw new IllegalArgumentException("references must list at least one reward when from is config, was []");
      }
      if (from.equals("group-mean") && !references.isEmpty()) {
        throw new IllegalArgumentException("references must be empty when from is group-mean (set from: config to "
            + "use them), was " + references);
      }
      for (Double r : references) {
        if (r == null || !Double.isFinite(r)) {
          throw new IllegalArgumentException("references must hold finite numbers, was " + references);
        }
      }
      if (!(k > 0 && k <= 100)) {
        throw new IllegalArgumentException("k must be a number in (0, 100], was " + k);
      }
    }
  }

  public ParTransformProvider() {}

  @Override
  public String name() {
    return "par";
  }

  @Override
  public String description() {
    return "the reward as the mean probability of beating reference rewards, σ(r − r_ref) (PAR)";
  }

  @Override
  public String formula() {
    return "r̃ = (1/M) Σ_m σ(r − r_ref,m)";
  }

  @Override
  public String reference() {
    return "Reward Shaping to Mitigate Reward Hacking in RLHF (Fu et al., 2025) [CODE: PorUna-byte/PAR]";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return new Config("group-mean", List.of(), "sigmoid", 2.0);
  }

  @Override
  public RewardTransform create(Config config) {
    double[] fixed = config.references().stream().mapToDouble(Double::doubleValue).toArray();
    boolean fromGroup = config.from().equals("group-mean");
    String variant = config.variant();
    double k = config.k();
    return values -> {
      double[] refs = fromGroup ? new double[] {Statistics.meanOfPresent(values.values())} : fixed;
      return Cells.map(values.values(), r -> {
        double s = 0;
        for (double ref : refs) {
          s += shape(variant, k, r - ref);
        }
        return s / refs.length;
      });
    };
  }

  /** The sigmoid-like function of a difference to a reference. */
  static double shape(String variant, double k, double delta) {
    return switch (variant) {
      case "sigmoid" -> Cells.sigmoid(delta);
      case "sigmoid-k" -> Cells.sigmoid(k * delta);
      case "tanh" -> Math.tanh(delta);
      case "fitted-poly" -> Math.abs(delta) <= 4
          ? 0.000376132953 * Math.pow(delta, 5) - 0.0132916611 * Math.pow(delta, 3) + 0.239537005 * delta + 0.5
          : Cells.sigmoid(delta);
      default -> throw new IllegalStateException("unknown variant " + variant);
    };
  }
}
