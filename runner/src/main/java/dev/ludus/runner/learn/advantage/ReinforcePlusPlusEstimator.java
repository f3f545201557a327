package dev.ludus.runner.learn.advantage;

import dev.ludus.api.stats.Statistics;
import java.util.ArrayList;
import java.util.List;

/**
 * REINFORCE++ (catalog E3 [CODE: verl {@code compute_reinforce_plus_plus_outcome_advantage} and
 * {@code compute_reinforce_plus_plus_baseline_outcome_advantage}]).
 *
 * <p>Plain: each turn's reward sits on the last output token of that turn; the token return is {@code G_j =
 * Σ_{k≥j} γ^{k−j} r_k}, where j and k run over the episode's agent tokens in order (turn after turn; the
 * tokens of the environment and the user are not positions, so γ discounts per agent token) and the return is
 * reset at the episode's end. A turn without tokens puts its reward on the last agent token before it (its
 * reward is dropped only when no agent token precedes it). Baseline variant: {@code R_i − mean_G R} on every
 * token (the group mean taken as 0 for a group of one, as verl; γ unused).
 *
 * <p>Either way the values are then whitened over every agent token of the whole batch, as verl's
 * {@code masked_whiten}: {@code (x − mean) / sqrt(var + 1e-8)}, Bessel-corrected variance, token-weighted.
 */
final class ReinforcePlusPlusEstimator implements AdvantageEstimator {
  private final ReinforcePlusPlusConfig config;

  ReinforcePlusPlusEstimator(ReinforcePlusPlusConfig config) {
    this.config = config;
  }

  @Override
  public String name() {
    return "reinforce-plus-plus";
  }

  @Override
  public List<TokenAdvantages> estimate(AdvantageBatch batch) {
    List<Scored> episodes = new ArrayList<>();
    List<double[][]> values = new ArrayList<>();
    for (List<Scored> group : Scored.prepare(batch)) {
      double mean = 0;
      if (config.baseline() && group.size() > 1) {
        double[] r = new double[group.size()];
        for (int i = 0; i < r.length; i++) {
          r[i] = group.get(i).outcome();
        }
        mean = Statistics.shiftedMean(r);
      }
      for (Scored s : group) {
        episodes.add(s);
        values.add(config.baseline() ? s.broadcast(s.outcome() - mean) : tokenReturns(s, config.gamma()));
      }
    }
    Stats.whiten(values);
    List<TokenAdvantages> out = new ArrayList<>(episodes.size());
    for (int i = 0; i < episodes.size(); i++) {
      out.add(episodes.get(i).result(values.get(i), null));
    }
    return out;
  }

  /** The discounted token returns of one episode, per turn, per token (before whitening). */
  static double[][] tokenReturns(Scored s, double gamma) {
    int total = s.totalTokens();
    double[] reward = new double[total];
    int end = 0;
    for (int t = 0; t < s.turns(); t++) {
      end += s.tokenCounts()[t];
      if (end > 0) {
        reward[end - 1] += s.turnRewards()[t];
      }
    }
    double[] g = new double[total];
    double running = 0;
    for (int j = total - 1; j >= 0; j--) {
      running = reward[j] + gamma * running;
      g[j] = running;
    }
    double[][] out = new double[s.turns()][];
    int at = 0;
    for (int t = 0; t < s.turns(); t++) {
      out[t] = new double[s.tokenCounts()[t]];
      System.arraycopy(g, at, out[t], 0, out[t].length);
      at += out[t].length;
    }
    return out;
  }
}
