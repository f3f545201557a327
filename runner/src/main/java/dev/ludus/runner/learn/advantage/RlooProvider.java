package dev.ludus.runner.learn.advantage;

/** {@code rloo}: REINFORCE leave-one-out (catalog E2). */
public final class RlooProvider implements EstimatorProvider<RlooConfig> {
  @Override
  public String name() {
    return "rloo";
  }

  @Override
  public String description() {
    return "RLOO: each episode's outcome minus the mean of the others in its group";
  }

  @Override
  public String formula() {
    return "A_i = R_i − (1/(G−1)) Σ_{j≠i} R_j";
  }

  @Override
  public String reference() {
    return "Ahmadian et al. 2024, Back to Basics; verl compute_rloo_outcome_advantage";
  }

  @Override
  public Class<RlooConfig> configType() {
    return RlooConfig.class;
  }

  @Override
  public RlooConfig defaultConfig() {
    return RlooConfig.defaults();
  }

  @Override
  public AdvantageEstimator create(RlooConfig config) {
    return AdvantageEstimators.rloo();
  }
}
