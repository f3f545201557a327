package dev.ludus.runner.learn.advantage;

/**
 * How a group's standard deviation is taken when rewards are normalized within a group. The two reference
 * implementations differ here, so the choice is explicit; with the same convention GRPO and IGPO agree
 * exactly on one-turn episodes.
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
