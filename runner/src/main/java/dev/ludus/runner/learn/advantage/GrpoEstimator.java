package dev.ludus.runner.learn.advantage;

import java.util.ArrayList;
import java.util.List;

/**
 * GRPO (catalog E1 [CODE: verl {@code compute_grpo_outcome_advantage}]): {@code A_i = (R_i − mean_G R) /
 * (std_G R + ε)} on every output token of rollout i, R the episode's outcome.
 *
 * <p>A group of one (after failed episodes are dropped) has no baseline: as in verl, its mean is taken as 0
 * and its standard deviation as 1, so its advantage is {@code R / (1 + ε)} (or R without scaling).
 */
final class GrpoEstimator implements AdvantageEstimator {
  private final GrpoConfig config;

  GrpoEstimator(GrpoConfig config) {
    this.config = config;
  }

  @Override
  public String name() {
    return "grpo";
  }

  @Override
  public List<TokenAdvantages> estimate(AdvantageBatch batch) {
    List<TokenAdvantages> out = new ArrayList<>();
    for (List<Scored> group : Scored.prepare(batch)) {
      double[] r = new double[group.size()];
      for (int i = 0; i < r.length; i++) {
        r[i] = group.get(i).outcome();
      }
      double[] a = advantages(r, config);
      for (int i = 0; i < r.length; i++) {
        Scored s = group.get(i);
        out.add(s.result(s.broadcast(a[i]), null));
      }
    }
    return out;
  }

  /** The GRPO advantages of a group's outcomes. */
  static double[] advantages(double[] r, GrpoConfig config) {
    if (r.length == 1) {
      return new double[] {config.scaleByStd() ? r[0] / (1 + config.epsilon()) : r[0]};
    }
    return r.length == 0 ? r : Stats.normalize(r, config.std(), config.epsilon(), config.scaleByStd());
  }
}
