package dev.ludus.simulators.llm;

/**
 * Implemented by the provider of an LLM-driven user that is the twin of a rule-based one: it names that user and
 * gives the rule-based configuration that draws the same hidden state, so that a fidelity check
 * ({@code ludus check-sim}) can find the world that hosts both and measure how often they agree. A plugin's twin
 * implements it the same way. Implementations are stateless and thread-safe.
 *
 * @param <C> the LLM-driven user's configuration type
 */
public interface RuleBasedTwin<C> {
  /** The registered name of the rule-based user this one is the twin of. */
  String ruleBasedName();

  /** The rule-based user's configuration (a value of its provider's config type) sharing {@code config}'s rules. */
  Object ruleBasedConfig(C config);
}
