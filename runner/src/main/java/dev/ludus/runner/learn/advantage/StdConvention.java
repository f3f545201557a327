package dev.ludus.runner.learn.advantage;

/**
 * How a group's standard deviation is taken when rewards are normalized within a group. The two reference
 * implementations differ here, so the choice is explicit; with the same convention (and ε, and scaling) GRPO
 * and IGPO with γ = 1 agree exactly on groups of two or more one-turn episodes. A group of one follows each
 * reference: GRPO keeps R / (1 + ε) (verl), IGPO gives 0 (its pool of one has its own value as mean).
 */
public enum StdConvention {
  /**
   * The sample standard deviation, {@code sqrt(sum (x - mean)^2 / (n - 1))}: {@code torch.std} with its
   * default Bessel correction, as verl's {@code compute_grpo_outcome_advantage} uses. GRPO's default.
   */
  SAMPLE,
  /**
   * The population standard deviation with a floor, {@code sqrt(sum (x - mean)^2 / n + 1e-8)}: what IGPO's
   * {@code compute_group_stats} computes. IGPO's default.
   */
  POPULATION;

  /** The floor IGPO adds to the variance before the square root. */
  static final double POPULATION_VARIANCE_FLOOR = 1e-8;
}
