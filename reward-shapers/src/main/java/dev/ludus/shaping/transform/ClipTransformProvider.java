package dev.ludus.shaping.transform;

import dev.ludus.api.RewardTransform;
import dev.ludus.api.TransformProvider;

/**
 * {@code clip}: the Clip refinement of process rewards (Gao et al., <i>On Designing Effective RL Reward at
 * Training Time for LLM Reasoning</i>, 2024): {@code r̃_k = min(r_k − η, 0)}. Every step reward becomes at
 * most 0, so repeating correct but unnecessary steps can never raise the return: the accumulated reward of
 * any trajectory is bounded above by 0. Meant for a dense (per-turn) learned reward added to a sparse
 * success reward; target it at that component only.
 *
 * <p>Provenance [RECALL, not verified]: the form is recalled; the paper's abstract confirms the goal (an
 * upper-bounded accumulated reward), its figure shows steps above the threshold η clipped to 0 and steps
 * below it kept as negative rewards. The paper's η is not pinned: the default 0 suits rewards centered on 0;
 * for probability-valued rewards (a PRM's score in [0, 1]) set η, e.g. 0.5.
 *
 * <p>Law: every value is at most 0, so the return never rises with more steps. Stateless and thread-safe.
 */
public final class ClipTransformProvider implements TransformProvider<ClipTransformProvider.Config> {

  /** @param eta the threshold η subtracted before clipping at 0, finite */
  public record Config(double eta) {
    public Config {
      if (!Double.isFinite(eta)) {
        throw new IllegalArgumentException("eta must be a finite number, was " + eta);
      }
    }
  }

  public ClipTransformProvider() {}

  @Override
  public String name() {
    return "clip";
  }

  @Override
  public String description() {
    return "each step reward shifted by η and clipped at 0, so extra steps never raise the return";
  }

  @Override
  public String formula() {
    return "r̃_k = min(r_k − η, 0)";
  }

  @Override
  public String reference() {
    return "On Designing Effective RL Reward at Training Time for LLM Reasoning (Gao et al., 2024) [RECALL]";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return new Config(0.0);
  }

  @Override
  public RewardTransform create(Config config) {
    double eta = config.eta();
    return values -> Cells.map(values.values(), r -> Math.min(r - eta, 0));
  }
}
