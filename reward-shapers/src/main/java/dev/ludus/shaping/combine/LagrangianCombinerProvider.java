package dev.ludus.shaping.combine;

import dev.ludus.api.CombinerProvider;
import dev.ludus.api.ComponentValues;
import dev.ludus.api.RewardCombiner;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code lagrangian}: constrained RLHF's Lagrangian mixing of component rewards (Moskovitz et al.,
 * <i>Confronting Reward Model Overoptimization with Constrained RLHF</i>, 2023). Each constrained component
 * {@code i} has a threshold {@code θ_i} (its "proxy point") and a learned multiplier
 * {@code λ_i = σ(ℓ_i)} (an inequality constraint) that takes the place of its weight:
 * {@code r_t = Σ_{i constrained} λ_i · c_i,t + Σ_{j other} w_j · c_j,t}. After each combine call (one
 * batch: the group), the logits take one step of SGD with momentum on
 * {@code L = Σ_i λ_i · (Ĵ_i − θ_i)}, where {@code Ĵ_i} is the group mean over episodes of the episode sum of
 * component i (its return from the start): {@code ℓ_i ← ℓ_i − lr · v_i}, {@code v_i ← m · v_i + λ_i(1 − λ_i)(Ĵ_i − θ_i)}
 * (PyTorch's SGD momentum). A component above its threshold thus loses weight, one below it gains.
 *
 * <p>Provenance [CODE: tedmoskovitz/ConstrainedRL4LMs {@code constrained_ppo.py}, dialog config], with the
 * catalog's constants (lr 0.1, momentum 0.1) and the code's initial logit 0 (λ = 0.5). Differences, by
 * design: the paper mixes batch-normalized advantages, {@code (N − Σλ_i)·A_KL + Σ λ_i·A_i}, with a value
 * head per component; a combiner mixes rewards, so here each multiplier scales its component's reward and
 * the KL term is the learner's. Equality constraints ({@code λ = tanh ℓ}) are not offered.
 *
 * <p>Ordering: a group is combined with the multipliers as they stand, then the multipliers step on that
 * group's returns, so the next group sees the updated ones. Law: from a fresh state (no momentum yet),
 * if {@code Ĵ_i > θ_i} one step strictly decreases {@code λ_i} (and increases it if {@code Ĵ_i < θ_i}).
 *
 * <p>Ledger: a constrained component contributes {@code λ_i · c_i,t}, an unconstrained one
 * {@code w_j · c_j,t}; there is no adjustment. A constrained component of weight 0 still contributes 0 (a
 * metric) while its multiplier keeps learning. Thread-safe: the multipliers live in the combiner and every
 * call is synchronized, so they evolve in the order groups arrive.
 */
public final class LagrangianCombinerProvider implements CombinerProvider<LagrangianCombinerProvider.Config> {

  /**
   * @param thresholds the constrained components ({@code shaper/component}, or a shaper name, which
   *     constrains each of its components with its own multiplier) and their thresholds θ; the other
   *     components keep their weights
   * @param learningRate the multipliers' SGD learning rate, in (0, 100]
   * @param momentum the SGD momentum, in [0, 1)
   * @param initialLogit the logit every multiplier starts at (0 gives λ = 0.5), finite
   */
  public record Config(Map<String, Double> thresholds, double learningRate, double momentum, double initialLogit) {
    public Config {
      thresholds = GroupMath.finiteMap(thresholds, "thresholds");
      if (!(learningRate > 0 && learningRate <= 100)) {
        throw new IllegalArgumentException("learningRate must be a number in (0, 100], was " + learningRate);
      }
      if (!(momentum >= 0 && momentum < 1)) {
        throw new IllegalArgumentException("momentum must be a number in [0, 1), was " + momentum);
      }
      if (!Double.isFinite(initialLogit)) {
        throw new IllegalArgumentException("initialLogit must be a finite number, was " + initialLogit);
      }
    }
  }

  public LagrangianCombinerProvider() {}

  @Override
  public String name() {
    return "lagrangian";
  }

  @Override
  public String description() {
    return "constrained components weighted by learned multipliers that fall once the component passes its threshold";
  }

  @Override
  public String formula() {
    return "r_t = Σ_i σ(ℓ_i) · c_i,t + Σ_j w_j · c_j,t; ℓ ← SGD-momentum on Σ_i σ(ℓ_i) · (Ĵ_i − θ_i)";
  }

  @Override
  public String reference() {
    return "Confronting Reward Model Overoptimization with Constrained RLHF (Moskovitz et al., 2023) "
        + "[CODE: tedmoskovitz/ConstrainedRL4LMs]";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return new Config(Map.of(), 0.1, 0.1, 0.0);
  }

  @Override
  public RewardCombiner create(Config config) {
    return new Lagrangian(config);
  }

  /** The combiner; its multipliers are its state. */
  static final class Lagrangian implements RewardCombiner {
    private final Config config;
    /** Per constrained label: {logit, momentum buffer}. */
    private final Map<String, double[]> state = new HashMap<>();

    Lagrangian(Config config) {
      this.config = config;
    }

    @Override
    public synchronized Combination combine(List<ComponentValues> components) {
      List<double[][]> out = new ArrayList<>(components.size());
      List<Runnable> steps = new ArrayList<>();
      for (ComponentValues c : components) {
        Double threshold = GroupMath.lookup(config.thresholds(), c.label(), c.source());
        if (threshold == null) {
          out.add(GroupMath.scaled(c.values(), c.weight()));
          continue;
        }
        double[] s = state.computeIfAbsent(c.label(), k -> new double[] {config.initialLogit(), 0});
        double lambda = GroupMath.sigmoid(s[0]);
        out.add(GroupMath.scaled(c.values(), c.weight() == 0 ? 0 : lambda));
        double j = groupMeanReturn(c.values());
        if (!Double.isNaN(j)) {
          double gradient = lambda * (1 - lambda) * (j - threshold);
          steps.add(() -> {
            s[1] = config.momentum() * s[1] + gradient;
            s[0] -= config.learningRate() * s[1];
          });
        }
      }
      steps.forEach(Runnable::run);
      return new Combination(out, null);
    }

    /** The current multiplier of a constrained component (its initial one if it has not been seen). */
    synchronized double multiplier(String label) {
      double[] s = state.get(label);
      return GroupMath.sigmoid(s == null ? config.initialLogit() : s[0]);
    }
  }

  /**
   * Ĵ: the mean over the group's episodes of each episode's sum of the component (an episode with no value
   * sums to 0); NaN when no episode has a value.
   */
  static double groupMeanReturn(double[][] v) {
    if (v.length == 0 || GroupMath.present(v).length == 0) {
      return Double.NaN;
    }
    double total = 0;
    for (double[] row : v) {
      for (double x : row) {
        if (!Double.isNaN(x)) {
          total += x;
        }
      }
    }
    return total / v.length;
  }
}
