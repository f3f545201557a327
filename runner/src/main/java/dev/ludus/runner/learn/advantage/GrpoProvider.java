package dev.ludus.runner.learn.advantage;

/** {@code grpo}: GRPO's group-normalized outcome (catalog E1). */
public final class GrpoProvider implements EstimatorProvider<GrpoConfig> {
  @Override
  public String name() {
    return "grpo";
  }

  @Override
  public String description() {
    return "GRPO: each episode's outcome normalized within its group, on every token";
  }

  @Override
  public String formula() {
    return "A_i = (R_i − mean_G R) / (std_G R + ε)";
  }

  @Override
  public String reference() {
    return "Shao et al. 2024, DeepSeekMath; verl compute_grpo_outcome_advantage";
  }

  @Override
  public Class<GrpoConfig> configType() {
    return GrpoConfig.class;
  }

  @Override
  public GrpoConfig defaultConfig() {
    return GrpoConfig.defaults();
  }

  @Override
  public AdvantageEstimator create(GrpoConfig config) {
    return AdvantageEstimators.grpo(config);
  }
}
