package dev.ludus.runner.learn.advantage;

/**
 * Settings of the IGPO turn-level advantage (catalog E5; debajoycs98/IGPO
 * {@code compute_grpo_outcome_advantage}).
 *
 * @param gamma the per-turn discount of the normalized rewards, in [0, 1]; default {@code 1.0} (the released
 *     scripts)
 * @param epsilon added to the pool's standard deviation before dividing; default {@code 1e-6}
 * @param std how the pool's standard deviation is taken; default {@link StdConvention#POPULATION} (IGPO's
 *     {@code compute_group_stats})
 * @param scaleByStd divide by the standard deviation, or only subtract the mean; default true
 * @param pooling which turn rewards are normalized together; default {@link Pooling#JOINT} (the function's
 *     default; IGPO's {@code train.sh} uses {@link Pooling#SEPARATE})
 */
public record IgpoConfig(double gamma, double epsilon, StdConvention std, boolean scaleByStd, Pooling pooling)
    implements AdvantageConfig {

  /** Which turn rewards of a group share a mean and a standard deviation. */
  public enum Pooling {
    /** All turns of all episodes of the group ({@code info_gain_norm_mode = "joint"}). */
    JOINT,
    /**
     * Each episode's last turn (the outcome, "F1") in one pool, every earlier turn (the information gain,
     * "IG") in another ({@code info_gain_norm_mode = "separate"}).
     */
    SEPARATE
  }

  public IgpoConfig {
    ConfigChecks.unitInterval("igpo", "gamma", gamma);
    ConfigChecks.positive("igpo", "epsilon", epsilon);
    ConfigChecks.nonNull("igpo", "std", std);
    ConfigChecks.nonNull("igpo", "pooling", pooling);
  }

  /** gamma 1.0, epsilon 1e-6, population standard deviation, scaled by it, joint pooling. */
  public static IgpoConfig defaults() {
    return new IgpoConfig(1.0, 1e-6, StdConvention.POPULATION, true, Pooling.JOINT);
  }
}
