package dev.ludus.runner.learn.advantage;

import java.util.ArrayList;
import java.util.List;

/**
 * PPO with generalized advantage estimation (catalog E4 [CODE: verl {@code compute_gae_advantage_return}]),
 * on turn level [INFERRED: the step is the turn, not the token].
 *
 * <p>Each turn is one step: its reward is the turn reward r_t, and V_t is the critic's value of the state in
 * which the agent writes turn t ({@link TurnValues}). With V_T the value after the last turn (0 unless the
 * values give one more entry, to bootstrap a cut episode): {@code δ_t = r_t + γV_{t+1} − V_t}, {@code A_t =
 * δ_t + γλA_{t+1}}, the value target is {@code A_t + V_t}, and A_t is broadcast to the turn's output tokens.
 * The tokens of the environment and the user are no steps at all, which is what verl's mask achieves by
 * skipping them. Optionally (default on, as verl) the advantages are then whitened over every agent token of
 * the batch; the value targets never are.
 *
 * <p>A per-KL penalty in the reward (catalog B13) belongs in the ledger, not here.
 */
final class PpoGaeEstimator implements AdvantageEstimator {
  private final PpoGaeConfig config;

  PpoGaeEstimator(PpoGaeConfig config) {
    this.config = config;
  }

  @Override
  public String name() {
    return "ppo-gae";
  }

  @Override
  public boolean needsValues() {
    return true;
  }

  @Override
  public List<TokenAdvantages> estimate(AdvantageBatch batch) {
    if (batch.values() == null) {
      throw new IllegalArgumentException(
          "ppo-gae needs the critic's per-turn values: pass them with AdvantageBatch.withValues");
    }
    List<Scored> episodes = new ArrayList<>();
    List<double[][]> advantages = new ArrayList<>();
    List<double[]> targets = new ArrayList<>();
    for (List<Scored> group : Scored.prepare(batch)) {
      for (Scored s : group) {
        double[] v = values(batch.values(), s);
        double[] a = gae(s.turnRewards(), v, config.gamma(), config.lambda());
        double[] target = new double[a.length];
        for (int t = 0; t < a.length; t++) {
          target[t] = a[t] + v[t];
        }
        episodes.add(s);
        advantages.add(s.broadcast(a));
        targets.add(target);
      }
    }
    if (config.whiten()) {
      Stats.whiten(advantages);
    }
    List<TokenAdvantages> out = new ArrayList<>(episodes.size());
    for (int i = 0; i < episodes.size(); i++) {
      out.add(episodes.get(i).result(advantages.get(i), targets.get(i)));
    }
    return out;
  }

  /**
   * The turn-level GAE advantages of rewards {@code r} (T turns) under values {@code v} (T or T + 1
   * entries).
   */
  static double[] gae(double[] r, double[] v, double gamma, double lambda) {
    int turns = r.length;
    double[] a = new double[turns];
    double next = v.length > turns ? v[turns] : 0;
    double last = 0;
    for (int t = turns - 1; t >= 0; t--) {
      double delta = r[t] + gamma * next - v[t];
      last = delta + gamma * lambda * last;
      a[t] = last;
      next = v[t];
    }
    return a;
  }

  private static double[] values(TurnValues values, Scored s) {
    double[] v = values.of(s.episode());
    int turns = s.turns();
    if (v == null || (v.length != turns && v.length != turns + 1)) {
      throw new IllegalArgumentException("ppo-gae needs " + turns + " or " + (turns + 1) + " values for episode '"
          + s.episode().id() + "', got " + (v == null ? "none" : String.valueOf(v.length)));
    }
    for (int t = 0; t < v.length; t++) {
      if (!Double.isFinite(v[t])) {
        throw new IllegalArgumentException(
            "ppo-gae got a non-finite value at boundary " + t + " of episode '" + s.episode().id() + "': " + v[t]);
      }
    }
    return v.clone();
  }
}
