package dev.ludus.runner.learn;

/**
 * The objective of a {@link PolicyLearner#preferenceStep}, on the implicit reward margin of a pair
 * {@code Δ = (log π(y_w) − log π_ref(y_w)) − (log π(y_l) − log π_ref(y_l))}, where {@code y_w} is the chosen
 * response, {@code y_l} the rejected one and the log-probabilities are sums over the responses' agent tokens.
 */
public enum PreferenceLoss {
  /**
   * Direct Preference Optimization (Rafailov et al. 2023, "Direct Preference Optimization: Your Language Model is
   * Secretly a Reward Model"): {@code −log σ(β·Δ)}. Law: {@code log 2} when the policy equals the reference
   * ({@code Δ = 0}); a step raises {@code Δ} on the pairs it trains on.
   */
  DPO,
  /**
   * Identity Preference Optimization (Azar et al. 2023, "A General Theoretical Paradigm to Understand Learning from
   * Human Preferences"): {@code (Δ − 1/(2β))²}, which regresses the margin to a finite target instead of pushing it
   * without bound. Law: {@code 1/(4β²)} when the policy equals the reference.
   */
  IPO
}
