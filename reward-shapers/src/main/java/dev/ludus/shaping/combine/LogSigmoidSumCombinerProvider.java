package dev.ludus.shaping.combine;

import dev.ludus.api.CombinerProvider;
import dev.ludus.api.ComponentValues;
import dev.ludus.api.RewardCombiner;
import dev.ludus.api.stats.Statistics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code log-sigmoid-sum}: LSC, log-sigmoid centering and the sum as a logical AND (Wang et al.,
 * <i>Transforming and Combining Rewards for Aligning Large Language Models</i>, 2024). Each component is
 * centered on a reference and passed through {@code log σ}, read as the log-probability that the output is
 * "good" on that property; summing them is the log-probability that it is good on all:
 * {@code r_t = Σ_i w_i · log σ(c_i,t − ref_i)}.
 *
 * <p>Provenance [CODE: {@code _shape_lsc} in PorUna-byte/PAR {@code src/trainers/reward_shaper.py}, a
 * reimplementation; SUMMARY of the paper]. The reference of a component is its entry in {@code references}
 * (keyed by {@code shaper/component} or by shaper name) or, when it has none, the 85th percentile of the
 * group's values under a normal fit, {@code mean + 1.0364 · std} with the population standard deviation,
 * as the PAR code computes it over its reference-policy rewards. Here the group's own values (all episodes,
 * all turns) stand in for the reference policy's rewards.
 *
 * <p>Laws: every contribution is below 0 for a positive weight (at most 0 once {@code c − ref} is so large
 * that {@code σ} rounds to 1); a value equal to its reference gives
 * {@code −w · log 2}; gains shrink for already-good outputs (the slope {@code 1 − σ} falls). The contribution
 * of component i is {@code w_i · log σ(c_i,t − ref_i)}; there is no adjustment. Stateless and thread-safe.
 */
public final class LogSigmoidSumCombinerProvider implements CombinerProvider<LogSigmoidSumCombinerProvider.Config> {

  /** The 85th percentile of the standard normal, as in the PAR code. */
  static final double NORMAL_85TH_PERCENTILE = 1.0364333894937898;

  /**
   * @param references a fixed reference per component ({@code shaper/component} or shaper name → value);
   *     components not listed use the group's {@code mean + 1.0364 · std}
   */
  public record Config(Map<String, Double> references) {
    public Config {
      references = GroupMath.finiteMap(references, "references");
    }
  }

  public LogSigmoidSumCombinerProvider() {}

  @Override
  public String name() {
    return "log-sigmoid-sum";
  }

  @Override
  public String description() {
    return "each component centered on a reference through log-sigmoid, then summed as a logical AND (LSC)";
  }

  @Override
  public String formula() {
    return "r_t = Σ_i w_i · log σ(c_i,t − ref_i), ref_i = configured or group mean_i + 1.0364 · std_i";
  }

  @Override
  public String reference() {
    return "Transforming and Combining Rewards for Aligning Large Language Models (Wang et al., 2024) "
        + "[CODE: PorUna-byte/PAR _shape_lsc; SUMMARY]";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return new Config(Map.of());
  }

  @Override
  public RewardCombiner create(Config config) {
    Map<String, Double> references = config.references();
    return components -> {
      List<double[][]> out = new ArrayList<>(components.size());
      for (ComponentValues c : components) {
        double[][] v = c.values();
        double[][] r = GroupMath.blankLike(v);
        Double fixed = GroupMath.lookup(references, c.label(), c.source());
        double ref = fixed != null ? fixed : groupReference(v);
        for (int i = 0; i < v.length; i++) {
          for (int t = 0; t < v[i].length; t++) {
            if (!Double.isNaN(v[i][t])) {
              r[i][t] = c.weight() == 0 ? 0 : c.weight() * GroupMath.logSigmoid(v[i][t] - ref);
            }
          }
        }
        out.add(r);
      }
      return new RewardCombiner.Combination(out, null);
    };
  }

  /** {@code mean + 1.0364 · std} (population std) of the group's values. */
  static double groupReference(double[][] v) {
    double[] xs = GroupMath.present(v);
    return Statistics.mean(xs) + NORMAL_85TH_PERCENTILE * Statistics.populationStd(xs);
  }
}
