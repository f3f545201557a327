package dev.ludus.shaping.combine;

import dev.ludus.api.CombinerProvider;
import dev.ludus.api.ComponentValues;
import dev.ludus.api.RewardCombiner;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code normalize-then-sum}: GDPO's group reward-decoupled normalization (Liu et al., <i>GDPO: Group
 * reward-Decoupled Normalization Policy Optimization for Multi-reward RL Optimization</i>, 2026). Each
 * component is normalized over its group on its own, before the weighted sum, so that two components with
 * different scales or different numbers of distinct values do not collapse into the same advantage:
 * {@code r_t = Σ_i w_i · (c_i,t − mean_i) / (std_i + ε)}.
 *
 * <p>Provenance [CODE: NVlabs/GDPO, {@code trl-GDPO/.../grpo_trainer.py}]: the mean and the sample standard
 * deviation ({@code torch.std}, divides by n − 1) of each reward over the group, ε = 1e-4, then the
 * weighted sum. Differences, by design: (1) GDPO then normalizes the summed advantages over the whole
 * batch; that step spans groups, so it is left to the learner's advantage normalization; (2) GDPO turns a
 * missing reward into 0 before normalizing, while here a cell with no value is skipped (it stays NaN and
 * contributes nothing); (3) a component whose values are all equal, or that has fewer than two values,
 * normalizes to exactly 0 (GDPO's ε gives nearly 0).
 *
 * <p>Scope (a choice for multi-turn episodes): {@code group} (default) pools every value of the component
 * in the group, all episodes and all turns, so that an outcome reward given once per episode is normalized
 * exactly as GDPO does; {@code turn} normalizes each turn index separately over the episodes that have a
 * value there.
 *
 * <p>Law: each component's contributions over the group sum to 0 (it is centered), so a component on
 * which all episodes agree contributes nothing. The contribution of component i is {@code w_i · z_i}; there
 * is no adjustment. Stateless and thread-safe.
 */
public final class NormalizeThenSumCombinerProvider
    implements CombinerProvider<NormalizeThenSumCombinerProvider.Config> {

  /**
   * @param scope {@code group} (all values of the group pooled) or {@code turn} (each turn index apart)
   * @param epsilon added to the standard deviation, in [0, 1]; GDPO uses 1e-4
   */
  public record Config(String scope, double epsilon) {
    public Config {
      GroupMath.oneOf(scope, "scope", List.of("group", "turn"));
      if (!(epsilon >= 0 && epsilon <= 1)) {
        throw new IllegalArgumentException("epsilon must be a number in [0, 1], was " + epsilon);
      }
    }
  }

  public NormalizeThenSumCombinerProvider() {}

  @Override
  public String name() {
    return "normalize-then-sum";
  }

  @Override
  public String description() {
    return "each component z-scored over its group on its own, then weighted and summed (GDPO)";
  }

  @Override
  public String formula() {
    return "r_t = Σ_i w_i · (c_i,t − mean_i) / (std_i + ε)";
  }

  @Override
  public String reference() {
    return "GDPO: Group reward-Decoupled Normalization Policy Optimization for Multi-reward RL Optimization "
        + "(Liu et al., 2026) [CODE: NVlabs/GDPO]";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return new Config("group", 1e-4);
  }

  @Override
  public RewardCombiner create(Config config) {
    boolean perTurn = config.scope().equals("turn");
    double epsilon = config.epsilon();
    return components -> {
      List<double[][]> out = new ArrayList<>(components.size());
      for (ComponentValues c : components) {
        double[][] z = perTurn ? GroupMath.zScoresPerTurn(c.values(), epsilon)
            : GroupMath.zScoresPooled(c.values(), epsilon);
        out.add(GroupMath.scaled(z, c.weight()));
      }
      return new RewardCombiner.Combination(out, null);
    };
  }
}
