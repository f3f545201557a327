package dev.ludus.environments.dialogue.intent;

import dev.ludus.api.Agent;
import dev.ludus.api.AnyEnvironment;
import dev.ludus.api.PluginRef;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.UserSimulator;
import dev.ludus.environments.dialogue.UserDialogueProvider;
import dev.ludus.simulators.intent.IntentSignals;
import java.util.Optional;

/**
 * Intent discovery (Nous), registered as {@value #NAME}: twenty questions generalised into an attribute
 * specification. Stateless and thread-safe.
 *
 * <p>Design note. A simulated user (by default the rule-based {@code intent-user} of the simulators module, created
 * by name through the {@link PluginContext}) holds a hidden intent, one value per attribute of a specification (the
 * built-in travel booking, or a JSON file; see {@link dev.ludus.simulators.intent.IntentSpec}), and is an expert or a
 * novice who is not sure of some attributes. The agent asks about one attribute per message (the grammar of
 * {@link dev.ludus.simulators.intent.IntentGrammar}, listed in the system prompt) and ends with
 * {@code <intent>attr=value; ...</intent>}. The candidate set is the product of each attribute's values not yet ruled
 * out, under a uniform belief.
 *
 * <ul>
 *   <li>Reward per step: the entropy the answer removed from the candidate set, in bits or normalised by the
 *       initial entropy ({@link IntentDiscoveryConfig#gain()}); "not sure" and unread messages remove nothing.
 *   <li>On the final specification (terminated): plus the share of the attributes the user knows that are right, or
 *       1 only when all are ({@link IntentDiscoveryConfig#outcome()}); {@code success} when all are. Attributes the
 *       user is not sure of are not scored.
 *   <li>After {@link IntentDiscoveryConfig#maxTurns()} messages without one: truncated, outcome 0.
 *   <li>Signals: {@code candidate-count}, {@code candidate-entropy} (so {@code info-gain} shapes it unchanged),
 *       {@code attributes-known}, {@code not-sure}, {@code intent-score} at the end, {@code invalid-action}, and the
 *       secret {@code intent}, {@code unsure-of}, {@code expertise}.
 * </ul>
 */
public final class IntentDiscoveryProvider extends UserDialogueProvider<IntentDiscoveryConfig> {
  /** The registered name. */
  public static final String NAME = "intent-discovery";

  public IntentDiscoveryProvider() {
    super(NAME, "Intent discovery: find a user's intent over an attribute specification by asking questions",
        IntentDiscoveryConfig.class, IntentSignals.all(), StandardSignals.SUCCESS);
  }

  @Override
  public IntentDiscoveryConfig defaultConfig() {
    return IntentDiscoveryConfig.defaults();
  }

  @Override
  protected PluginRef user(IntentDiscoveryConfig config) {
    return config.userRef();
  }

  @Override
  protected AnyEnvironment environment(IntentDiscoveryConfig config, UserSimulator user) {
    return new IntentDiscoveryEnvironment(config, user);
  }

  @Override
  public Optional<Agent> oracle(IntentDiscoveryConfig config) {
    return Optional.of(new IntentDiscoveryOracle(config));
  }

  /** The oracle rebuilds its belief from the user's replies in the conversation: it acts from any state. */
  @Override
  public boolean oracleActsFromAnyState(IntentDiscoveryConfig config) {
    return true;
  }

  @Override
  public Agent randomAgent(IntentDiscoveryConfig config) {
    return new IntentDiscoveryRandomAgent(config);
  }
}
