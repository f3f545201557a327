package dev.ludus.runner.learn.advantage;

import java.util.ArrayList;
import java.util.List;

/**
 * The IGPO turn-level advantage (catalog E5 [CODE: debajoycs98/IGPO {@code compute_grpo_outcome_advantage}
 * and {@code _compute_turn_level_advantage}]), by default with a baseline that does not depend on episode length.
 *
 * <p>Default, {@link IgpoConfig.Baseline#TURN_INDEX}:
 * <ol>
 *   <li>Scale the turn rewards {@code r_{i,t}} of the group per pool ({@link IgpoConfig.Pooling}): under
 *       {@code SEPARATE} (with {@code scaleByStd}, and when both pools have nonzero rewards) each pool (last turns,
 *       earlier turns) is divided by its root mean square so that the outcome and the information gain weigh
 *       alike; otherwise they stay as they are.
 *   <li>Returns-to-go {@code G_{i,t} = Σ_{k≥t} γ^{k−t} z_{i,k}}.
 *   <li>Centre each return on the mean return of the group's episodes at the same turn index:
 *       {@code c_{i,t} = G_{i,t} − mean_{j: T_j > t} G_{j,t}}; a turn index only one episode reached gets 0 (a
 *       pool of one, as in the code).
 *   <li>Divide by one standard deviation of the group's centred returns (of the turn indices at least two
 *       episodes reached) plus ε, broadcast to turn t's output tokens.
 * </ol>
 * Why: IGPO's code normalizes each reward and then sums, so an episode of {@code T} turns subtracts the pool mean
 * once per remaining turn: a baseline set by the episode's own stopping turn, which the policy chooses. With
 * outcome-only rewards in guess-number that gave mean advantages of +0.63, +1.08 and +1.15 at turns 1, 2 and 3:
 * any late action was reinforced. Here the mean advantage at each turn index is exactly 0, the baseline of turn
 * {@code t} depends on nothing after it, and with one turn per episode both forms are GRPO with the population
 * standard deviation. {@link IgpoConfig.Baseline#REWARDS} keeps the code's form for comparison.
 *
 * <p>Difference from the code, on purpose, in both forms: the code finds turns by their nonzero reward positions,
 * so a turn rewarded exactly 0 is neither normalized nor a boundary (it merges into the next turn). Here turn
 * boundaries are explicit, and every turn gets its own advantage. The code's curriculum weights (F1 0.5 → 1, IG
 * 1 → 0.5) are shaper weights in Ludus and are not repeated here.
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
      double[][] a = config.baseline() == IgpoConfig.Baseline.TURN_INDEX ? turnIndexAdvantages(group, config)
          : rewardAdvantages(group, config);
      for (int i = 0; i < group.size(); i++) {
        Scored s = group.get(i);
        out.add(s.result(s.broadcast(a[i]), null));
      }
    }
    return out;
  }

  /** The default form: scaled rewards, returns-to-go, a baseline per turn index, one scale. */
  static double[][] turnIndexAdvantages(List<Scored> group, IgpoConfig config) {
    int n = group.size();
    double[][] z = new double[n][];
    for (int i = 0; i < n; i++) {
      z[i] = group.get(i).turnRewards().clone();
    }
    if (config.pooling() == IgpoConfig.Pooling.SEPARATE && config.scaleByStd()) {
      List<int[]> last = members(group, (i, t) -> t == group.get(i).turns() - 1);
      List<int[]> earlier = members(group, (i, t) -> t < group.get(i).turns() - 1);
      double lastRms = rms(z, last);
      double earlierRms = rms(z, earlier);
      if (lastRms > 1e-12 && earlierRms > 1e-12) { // two families to put on one scale
        scale(z, last, lastRms);
        scale(z, earlier, earlierRms);
      }
    }
    double[][] c = new double[n][];
    int longest = 0;
    for (int i = 0; i < n; i++) {
      c[i] = discounted(z[i], config.gamma());
      longest = Math.max(longest, c[i].length);
    }
    List<Double> centred = new ArrayList<>();
    for (int t = 0; t < longest; t++) {
      int reached = 0;
      double shift = Double.NaN;
      double sum = 0;
      for (int i = 0; i < n; i++) {
        if (c[i].length > t) {
          shift = reached == 0 ? c[i][t] : shift;
          sum += c[i][t] - shift; // shifted so that equal returns give exactly 0
          reached++;
        }
      }
      double mean = reached == 0 ? 0 : shift + sum / reached;
      for (int i = 0; i < n; i++) {
        if (c[i].length > t) {
          c[i][t] = reached < 2 ? 0 : c[i][t] - mean;
          if (reached >= 2) {
            centred.add(c[i][t]);
          }
        }
      }
    }
    if (config.scaleByStd() && centred.size() >= 2) {
      double[] x = centred.stream().mapToDouble(Double::doubleValue).toArray();
      double scale = Stats.std(x, 0, config.std()) + config.epsilon();
      for (double[] row : c) {
        for (int t = 0; t < row.length; t++) {
          row[t] /= scale;
        }
      }
    }
    return c;
  }

  /** IGPO's code: each pool z-normalized, then discounted sums. */
  static double[][] rewardAdvantages(List<Scored> group, IgpoConfig config) {
    double[][] normalized = normalizedTurnRewards(group, config);
    double[][] a = new double[normalized.length][];
    for (int i = 0; i < a.length; i++) {
      a[i] = discounted(normalized[i], config.gamma());
    }
    return a;
  }

  /** The group's turn rewards, each normalized within its pool (the code's form). */
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

  private static List<int[]> members(List<Scored> group, Member member) {
    List<int[]> at = new ArrayList<>();
    for (int i = 0; i < group.size(); i++) {
      for (int t = 0; t < group.get(i).turns(); t++) {
        if (member.test(i, t)) {
          at.add(new int[] {i, t});
        }
      }
    }
    return at;
  }

  /** The root mean square of the pool's values in {@code z} (0 for an empty pool). */
  private static double rms(double[][] z, List<int[]> pool) {
    double squares = 0;
    for (int[] p : pool) {
      squares += z[p[0]][p[1]] * z[p[0]][p[1]];
    }
    return pool.isEmpty() ? 0 : Math.sqrt(squares / pool.size());
  }

  private static void scale(double[][] z, List<int[]> pool, double by) {
    for (int[] p : pool) {
      z[p[0]][p[1]] /= by;
    }
  }

  private static void normalizePool(List<Scored> group, double[][] z, IgpoConfig config, Member member) {
    List<int[]> at = members(group, member);
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
