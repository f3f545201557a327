package dev.ludus.runner.learn.advantage;

/** {@code reinforce-plus-plus}: token returns whitened over the batch (catalog E3). */
public final class ReinforcePlusPlusProvider implements EstimatorProvider<ReinforcePlusPlusConfig> {
  @Override
  public String name() {
    return "reinforce-plus-plus";
  }

  @Override
  public String description() {
    return "REINFORCE++: discounted token returns (or the group-baselined outcome) whitened over the batch";
  }

  @Override
  public String formula() {
    return "A_t = whiten_batch(Σ_{k≥t} γ^{k−t} r_k)";
  }

  @Override
  public String reference() {
    return "Hu 2025, REINFORCE++; verl compute_reinforce_plus_plus_outcome_advantage";
  }

  @Override
  public boolean needsGroups() {
    return false;
  }

  @Override
  public Class<ReinforcePlusPlusConfig> configType() {
    return ReinforcePlusPlusConfig.class;
  }

  @Override
  public ReinforcePlusPlusConfig defaultConfig() {
    return ReinforcePlusPlusConfig.defaults();
  }

  @Override
  public AdvantageEstimator create(ReinforcePlusPlusConfig config) {
    return AdvantageEstimators.reinforcePlusPlus(config);
  }
}
