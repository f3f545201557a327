package dev.ludus.runner.learn.advantage;

/** {@code ppo-gae}: PPO with turn-level GAE and a critic (catalog E4). */
public final class PpoGaeProvider implements EstimatorProvider<PpoGaeConfig> {
  @Override
  public String name() {
    return "ppo-gae";
  }

  @Override
  public String description() {
    return "PPO with turn-level GAE over a value head on the policy's trunk (trains the critic too)";
  }

  @Override
  public String formula() {
    return "δ_t = r_t + γV_{t+1} − V_t,  A_t = δ_t + γλA_{t+1}";
  }

  @Override
  public String reference() {
    return "Schulman et al. 2016, GAE; verl compute_gae_advantage_return";
  }

  @Override
  public boolean needsGroups() {
    return false;
  }

  @Override
  public Class<PpoGaeConfig> configType() {
    return PpoGaeConfig.class;
  }

  @Override
  public PpoGaeConfig defaultConfig() {
    return PpoGaeConfig.defaults();
  }

  @Override
  public AdvantageEstimator create(PpoGaeConfig config) {
    return AdvantageEstimators.ppoGae(config);
  }
}
