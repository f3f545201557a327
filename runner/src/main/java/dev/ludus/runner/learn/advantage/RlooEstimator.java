package dev.ludus.runner.learn.advantage;

import dev.ludus.api.stats.Statistics;
import java.util.ArrayList;
import java.util.List;

/**
 * RLOO (catalog E2 [CODE: verl {@code compute_rloo_outcome_advantage}]): {@code A_i = R_i − (1/(G−1)) Σ_{j≠i}
 * R_j}, computed as verl does as {@code R_i·G/(G−1) − mean·G/(G−1)}, on every output token of rollout i. It
 * equals {@code G/(G−1)·(R_i − mean)}.
 *
 * <p>A group of one has no others to compare with: as in verl, its advantage is its outcome unchanged.
 */
final class RlooEstimator implements AdvantageEstimator {

  @Override
  public String name() {
    return "rloo";
  }

  @Override
  public List<TokenAdvantages> estimate(AdvantageBatch batch) {
    List<TokenAdvantages> out = new ArrayList<>();
    for (List<Scored> group : Scored.prepare(batch)) {
      int n = group.size();
      double[] r = new double[n];
      for (int i = 0; i < n; i++) {
        r[i] = group.get(i).outcome();
      }
      double mean = n == 0 ? 0 : Statistics.shiftedMean(r);
      for (int i = 0; i < n; i++) {
        double a = n > 1 ? r[i] * n / (n - 1) - mean * n / (n - 1) : r[i];
        Scored s = group.get(i);
        out.add(s.result(s.broadcast(a), null));
      }
    }
    return out;
  }
}
