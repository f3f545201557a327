package dev.ludus.runner.learn.advantage;

import java.util.ArrayList;
import java.util.List;

/**
 * The IGPO turn-level advantage (catalog E5 [CODE: debajoycs98/IGPO {@code compute_grpo_outcome_advantage}
 * and {@code _compute_turn_level_advantage}]).
 *
 * <ol>
 *   <li>Pool the turn rewards {@code r_{i,t}} of every episode of the group (one pool, or the last turns and the
 *       earlier turns apart: {@link IgpoConfig.Pooling}).
 *   <li>Normalize each pool: {@code r̂ = (r − mean) / (std + ε)}, std by {@link IgpoConfig#std()}; a pool of one
 *       (or none) has std 1 and its own value as mean, so it normalizes to 0, as the code does.
 *   <li>{@code Ã_{i,t} = Σ_{k≥t} γ^{k−t} r̂_{i,k}} (turn-level discounting), broadcast to turn t's output tokens.
 * </ol>
 *
 * <p>Difference from the code, on purpose: the code finds turns by their nonzero reward positions, so a turn
 * rewarded exactly 0 is neither normalized nor a boundary (it merges into the next turn). Here turn boundaries
 * are explicit, and every turn is in its pool and gets its own advantage. The code's curriculum weights (F1
 * 0.5 → 1, IG 1 → 0.5) are shaper weights in Ludus and are not repeated here.
 *
 * <p>With γ = 1, one turn per episode, a group of at least two and the same std convention, ε and scaling,
 * this is GRPO on the outcome: both go through {@link Stats#normalize}.
 */
final class IgpoEstimator implements AdvantageEstimator {
  private final IgpoConfig config;

  IgpoEstimator(IgpoConfig config) {
    this.config = config;
  }

  @Override
  public String name() {
    return "igpo";
  }

  @Override
  public List<TokenAdvantages> estimate(AdvantageBatch batch) {
    List<TokenAdvantages> out = new ArrayList<>();
    for (List<Scored> group : Scored.prepare(batch)) {
      double[][] normalized = normalizedTurnRewards(group, config);
      for (int i = 0; i < group.size(); i++) {
        Scored s = group.get(i);
        out.add(s.result(s.broadcast(discounted(normalized[i], config.gamma())), null));
      }
    }
    return out;
  }

  /** The group's turn rewards, each normalized within its pool. */
  static double[][] normalizedTurnRewards(List<Scored> group, IgpoConfig config) {
    double[][] z = new double[group.size()][];
    for (int i = 0; i < z.length; i++) {
      z[i] = new double[group.get(i).turns()];
    }
    if (config.pooling() == IgpoConfig.Pooling.JOINT) {
      normalizePool(group, z, config, (i, t) -> true);
    } else {
      normalizePool(group, z, config, (i, t) -> t == group.get(i).turns() - 1);
      normalizePool(group, z, config, (i, t) -> t < group.get(i).turns() - 1);
    }
    return z;
  }

  /** Turn-level discounted sums {@code Ã_t = r̂_t + γ Ã_{t+1}}. */
  static double[] discounted(double[] r, double gamma) {
    double[] a = new double[r.length];
    double next = 0;
    for (int t = r.length - 1; t >= 0; t--) {
      next = r[t] + gamma * next;
      a[t] = next;
    }
    return a;
  }

  private interface Member {
    boolean test(int episode, int turn);
  }

  private static void normalizePool(List<Scored> group, double[][] z, IgpoConfig config, Member member) {
    List<int[]> at = new ArrayList<>();
    for (int i = 0; i < group.size(); i++) {
      for (int t = 0; t < group.get(i).turns(); t++) {
        if (member.test(i, t)) {
          at.add(new int[] {i, t});
        }
      }
    }
    if (at.size() < 2) {
      // a pool of one: mean = the value, std = 1, so it normalizes to 0 (already 0 in z)
      return;
    }
    double[] x = new double[at.size()];
    for (int k = 0; k < x.length; k++) {
      x[k] = group.get(at.get(k)[0]).turnRewards()[at.get(k)[1]];
    }
    double[] n = Stats.normalize(x, config.std(), config.epsilon(), config.scaleByStd());
    for (int k = 0; k < x.length; k++) {
      z[at.get(k)[0]][at.get(k)[1]] = n[k];
    }
  }
}
