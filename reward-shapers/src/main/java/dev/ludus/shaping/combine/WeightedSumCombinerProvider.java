package dev.ludus.shaping.combine;

import dev.ludus.api.CombinerProvider;
import dev.ludus.api.ComponentValues;
import dev.ludus.api.NoConfig;
import dev.ludus.api.RewardCombiner;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code weighted-sum}: each component contributes its weight times its value, {@code r_t = Σ_i w_i c_i,t}.
 * The default combiner. Stateless and thread-safe.
 */
public final class WeightedSumCombinerProvider implements CombinerProvider<NoConfig> {
  @Override
  public String name() {
    return "weighted-sum";
  }

  @Override
  public String description() {
    return "each component times its weight, summed";
  }

  @Override
  public String formula() {
    return "r_t = Σ_i w_i · c_i,t";
  }

  @Override
  public String reference() {
    return "the linear scalarization of multi-objective RL (e.g. verifiers' rubric: a weighted list of reward functions)";
  }

  @Override
  public Class<NoConfig> configType() {
    return NoConfig.class;
  }

  @Override
  public NoConfig defaultConfig() {
    return NoConfig.INSTANCE;
  }

  @Override
  public RewardCombiner create(NoConfig config) {
    return combiner();
  }

  /** The combiner itself. */
  public static RewardCombiner combiner() {
    return components -> {
      List<double[][]> out = new ArrayList<>(components.size());
      for (ComponentValues c : components) {
        double[][] v = c.values();
        double[][] r = new double[v.length][];
        for (int i = 0; i < v.length; i++) {
          r[i] = new double[v[i].length];
          for (int t = 0; t < v[i].length; t++) {
            r[i][t] = c.weight() * v[i][t];
          }
        }
        out.add(r);
      }
      return new RewardCombiner.Combination(out, null);
    };
  }
}
