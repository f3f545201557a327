package dev.ludus.shaping.transform;

import dev.ludus.api.NoConfig;
import dev.ludus.api.RewardTransform;
import dev.ludus.api.TransformProvider;

/**
 * {@code delta}: the Delta refinement of process rewards (Gao et al., <i>On Designing Effective RL Reward
 * at Training Time for LLM Reasoning</i>, 2024): {@code r̃_k = r_k − r_{k+1}} for k &lt; K and
 * {@code r̃_K = r_K}, over the turns of an episode that have a value, in order. The sum telescopes, so the
 * return from any step is that step's own reward and cannot be inflated by adding steps.
 *
 * <p>Provenance [RECALL, not verified]: the form is recalled; the abstract confirms the goal (an
 * upper-bounded accumulated reward). Turns without a value are skipped: the next step is the next turn that
 * has one.
 *
 * <p>Law: {@code Σ_{k≥t} r̃_k = r_t} for every step t with a value. Stateless and thread-safe.
 */
public final class DeltaTransformProvider implements TransformProvider<NoConfig> {

  public DeltaTransformProvider() {}

  @Override
  public String name() {
    return "delta";
  }

  @Override
  public String description() {
    return "each step reward minus the next one, so the return from any step equals that step's reward";
  }

  @Override
  public String formula() {
    return "r̃_k = r_k − r_{k+1} (k < K), r̃_K = r_K";
  }

  @Override
  public String reference() {
    return "On Designing Effective RL Reward at Training Time for LLM Reasoning (Gao et al., 2024) [RECALL]";
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
  public RewardTransform create(NoConfig config) {
    return values -> {
      double[][] v = values.values();
      double[][] out = Cells.blankLike(v);
      for (int i = 0; i < v.length; i++) {
        int next = -1;
        for (int t = v[i].length - 1; t >= 0; t--) {
          if (Double.isNaN(v[i][t])) {
            continue;
          }
          out[i][t] = next < 0 ? v[i][t] : v[i][t] - v[i][next];
          next = t;
        }
      }
      return out;
    };
  }
}
