package dev.ludus.runner.learn.advantage;

/**
 * Settings of PPO with generalized advantage estimation (catalog E4), on turn level.
 *
 * @param gamma the per-turn discount, in [0, 1]; default {@code 1.0} (verl's {@code algorithm.gamma})
 * @param lambda the GAE λ, in [0, 1]; default {@code 1.0} (verl's {@code algorithm.lam})
 * @param whiten whiten the advantages over all agent tokens of the batch, as verl's
 *     {@code compute_gae_advantage_return} does; default true. The value targets are never whitened.
 */
public record PpoGaeConfig(double gamma, double lambda, boolean whiten) {
  public PpoGaeConfig {
    ConfigChecks.unitInterval("ppo-gae", "gamma", gamma);
    ConfigChecks.unitInterval("ppo-gae", "lambda", lambda);
  }

  /** gamma 1.0, lambda 1.0, whitened. */
  public static PpoGaeConfig defaults() {
    return new PpoGaeConfig(1.0, 1.0, true);
  }
}
