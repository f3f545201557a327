package dev.ludus.runner.learn.advantage;

/**
 * Settings of GRPO (catalog E1).
 *
 * @param epsilon added to the group's standard deviation before dividing; default {@code 1e-6} (verl)
 * @param std how the group's standard deviation is taken; default {@link StdConvention#SAMPLE} (verl's
 *     {@code torch.std})
 * @param scaleByStd divide by the standard deviation (GRPO) or only subtract the mean (Dr. GRPO); default
 *     true (verl's {@code norm_adv_by_std_in_grpo})
 */
public record GrpoConfig(double epsilon, StdConvention std, boolean scaleByStd) {
  public GrpoConfig {
    ConfigChecks.positive("grpo", "epsilon", epsilon);
    ConfigChecks.nonNull("grpo", "std", std);
  }

  /** epsilon 1e-6, sample standard deviation, scaled by it. */
  public static GrpoConfig defaults() {
    return new GrpoConfig(1e-6, StdConvention.SAMPLE, true);
  }
}
