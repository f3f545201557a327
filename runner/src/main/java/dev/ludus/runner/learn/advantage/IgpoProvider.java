package dev.ludus.runner.learn.advantage;

/** {@code igpo}: IGPO's turn-level advantage (catalog E5), with a baseline that does not depend on episode length. */
public final class IgpoProvider implements EstimatorProvider<IgpoConfig> {
  @Override
  public String name() {
    return "igpo";
  }

  @Override
  public String description() {
    return "IGPO turn-level advantage: turn rewards scaled per pool, returns-to-go, a per-turn-index group baseline";
  }

  @Override
  public String formula() {
    return "A_{i,t} = (G_{i,t} − mean_{j: T_j > t} G_{j,t}) / std,  G_{i,t} = Σ_{k≥t} γ^{k−t} r_{i,k}/σ_pool";
  }

  @Override
  public String reference() {
    return "Wang et al. 2025, IGPO (debajoycs98/IGPO compute_grpo_outcome_advantage); verl RFC #7244 on per-turn "
        + "baselines";
  }

  @Override
  public Class<IgpoConfig> configType() {
    return IgpoConfig.class;
  }

  @Override
  public IgpoConfig defaultConfig() {
    return IgpoConfig.defaults();
  }

  @Override
  public AdvantageEstimator create(IgpoConfig config) {
    return AdvantageEstimators.igpo(config);
  }
}
