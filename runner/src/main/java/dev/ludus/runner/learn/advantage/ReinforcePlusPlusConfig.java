package dev.ludus.runner.learn.advantage;

/**
 * Settings of REINFORCE++ (catalog E3).
 *
 * @param gamma the per-token discount of the token returns, in [0, 1]; default {@code 1.0} (verl's
 *     {@code algorithm.gamma}); unused by the baseline variant, which works on the undiscounted outcome
 * @param baseline the "baseline" variant ({@code reinforce_plus_plus_baseline} in verl): subtract the group
 *     mean of the outcome instead of computing token returns; default false
 */
public record ReinforcePlusPlusConfig(double gamma, boolean baseline) {
  public ReinforcePlusPlusConfig {
    ConfigChecks.unitInterval("reinforce-plus-plus", "gamma", gamma);
  }

  /** gamma 1.0, token returns (not the baseline variant). */
  public static ReinforcePlusPlusConfig defaults() {
    return new ReinforcePlusPlusConfig(1.0, false);
  }

  /** The baseline variant (gamma is unused there). */
  public static ReinforcePlusPlusConfig baselineVariant() {
    return new ReinforcePlusPlusConfig(1.0, true);
  }
}
