package dev.ludus.runner.learn.advantage;

/**
 * Settings of the IGPO turn-level advantage (catalog E5; debajoycs98/IGPO
 * {@code compute_grpo_outcome_advantage}).
 *
 * @param gamma the per-turn discount of the returns-to-go, in [0, 1]; default {@code 1.0} (the released scripts)
 * @param epsilon added to the standard deviation before dividing; default {@code 1e-6}
 * @param std how standard deviations are taken; default {@link StdConvention#POPULATION} (IGPO's
 *     {@code compute_group_stats})
 * @param scaleByStd divide by the standard deviation, or only subtract the baseline; default true
 * @param pooling which turn rewards share a scale (with {@link Baseline#REWARDS}: a mean and a scale); default
 *     {@link Pooling#JOINT} (the function's default; IGPO's {@code train.sh} uses {@link Pooling#SEPARATE})
 * @param baseline what is subtracted, and where; default {@link Baseline#TURN_INDEX}, which is unbiased when the
 *     policy decides how long an episode lasts; {@link Baseline#REWARDS} is IGPO's own code, kept for comparison
 */
public record IgpoConfig(double gamma, double epsilon, StdConvention std, boolean scaleByStd, Pooling pooling,
    Baseline baseline) {

  /** Which turn rewards of a group are scaled (and, with {@link Baseline#REWARDS}, centred) together. */
  public enum Pooling {
    /** All turns of all episodes of the group ({@code info_gain_norm_mode = "joint"}). */
    JOINT,
    /**
     * Each episode's last turn (the outcome, "F1") in one pool, every earlier turn (the information gain,
     * "IG") in another ({@code info_gain_norm_mode = "separate"}), so that each reward family weighs the same.
     */
    SEPARATE
  }

  /** Where the group baseline is subtracted. */
  public enum Baseline {
    /**
     * The default. Turn rewards are only scaled per pool (under {@link Pooling#SEPARATE}, when both pools have
     * nonzero rewards, each is divided by its root mean square; under {@link Pooling#JOINT} they stay as they are), summed into returns-to-go
     * {@code G_{i,t}}, and each return is compared with the mean return of the group's episodes at the same turn
     * index: {@code A_{i,t} = (G_{i,t} − mean_{j: T_j > t} G_{j,t}) / (std + ε)}, one std over the group's
     * centred returns. The baseline depends only on the turn index (the past), never on how long the episode went
     * on afterwards, so it does not bias the gradient when the policy controls episode length; the mean advantage
     * at every turn index is 0. With one turn per episode it is the same as {@link #REWARDS} (and GRPO).
     */
    TURN_INDEX,
    /**
     * IGPO's code: each pool's rewards are z-normalized ({@code (r − mean)/(std + ε)}) and then summed,
     * {@code Ã_{i,t} = Σ_{k≥t} γ^{k−t} r̂_{i,k}}. An episode of {@code T} turns thereby subtracts its pool mean
     * {@code T − t + 1} times: a baseline that grows with the episode's own length, which biases every turn by
     * how long the episode went on (with outcome-only rewards the mean advantage grows with the turn index; the
     * bias verl's per-turn RFC #7244 describes).
     */
    REWARDS
  }

  public IgpoConfig {
    ConfigChecks.unitInterval("igpo", "gamma", gamma);
    ConfigChecks.positive("igpo", "epsilon", epsilon);
    ConfigChecks.nonNull("igpo", "std", std);
    ConfigChecks.nonNull("igpo", "pooling", pooling);
    ConfigChecks.nonNull("igpo", "baseline", baseline);
  }

  /** The settings without a choice of baseline: {@link Baseline#TURN_INDEX}. */
  public IgpoConfig(double gamma, double epsilon, StdConvention std, boolean scaleByStd, Pooling pooling) {
    this(gamma, epsilon, std, scaleByStd, pooling, Baseline.TURN_INDEX);
  }

  /** gamma 1.0, epsilon 1e-6, population standard deviation, scaled by it, joint pooling, turn-index baseline. */
  public static IgpoConfig defaults() {
    return new IgpoConfig(1.0, 1e-6, StdConvention.POPULATION, true, Pooling.JOINT, Baseline.TURN_INDEX);
  }

  /** These settings with {@code baseline}. */
  public IgpoConfig withBaseline(Baseline baseline) {
    return new IgpoConfig(gamma, epsilon, std, scaleByStd, pooling, baseline);
  }
}
