package dev.ludus.environments.dialogue.persuasion;

import dev.ludus.api.Agent;
import dev.ludus.api.AnyEnvironment;
import dev.ludus.api.PluginRef;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.UserSimulator;
import dev.ludus.environments.dialogue.UserDialogueProvider;
import dev.ludus.simulators.persuasion.PersuasionSignals;
import java.util.Optional;

/**
 * PersuasionForGood with a rule-based persuadee (after Wang et al. 2019 and Refine-and-Imitate), registered as
 * {@value #NAME}. Stateless and thread-safe.
 *
 * <p>Design note. The agent is the persuader; the persuadee is a registered simulator ({@code persuasion-user} by
 * default, got through the {@link PluginContext} so a configuration can swap it) with a persona drawn from the task
 * seed (or named by the task's {@code persona} field) and a hidden propensity to donate and resistance that each
 * message moves (see {@link dev.ludus.simulators.persuasion.PersuasionRules}). Repeating oneself and contradicting
 * one's earlier claims cost propensity, as Refine-and-Imitate penalises them.
 *
 * <ul>
 *   <li>Reward: on the last step, the donation divided by $2, in [0, 1]; 0 on the other steps.
 *   <li>The conversation ends (terminated) when the persuadee promises a donation or leaves, and is truncated after
 *       {@link PersuasionConfig#maxTurns()} messages, when the persuadee donates what it is willing to.
 *   <li>{@code success}: a donation of at least $1, half the payment.
 *   <li>Signals: the persuadee's {@link PersuasionSignals} (secret propensity, resistance, donation intent and
 *       persona; strategies used, repetition, inconsistency) and {@code donation} and {@code success} on the last step.
 *   <li>A message the persuadee cannot read (empty, no English) gets the {@code invalid-action} signal and a request
 *       to say it again; the turn counts.
 * </ul>
 */
public final class PersuasionProvider extends UserDialogueProvider<PersuasionConfig> {
  /** The registered name. */
  public static final String NAME = "persuasion";

  public PersuasionProvider() {
    super(NAME, "PersuasionForGood: persuade a rule-based persuadee with a hidden propensity to donate up to $2",
        PersuasionConfig.class, PersuasionSignals.all(), StandardSignals.SUCCESS);
  }

  @Override
  public PersuasionConfig defaultConfig() {
    return PersuasionConfig.defaults();
  }

  @Override
  protected PluginRef user(PersuasionConfig config) {
    return config.userRef();
  }

  @Override
  protected AnyEnvironment environment(PersuasionConfig config, UserSimulator user) {
    return new PersuasionEnvironment(config, user);
  }

  @Override
  public Optional<Agent> oracle(PersuasionConfig config) {
    return Optional.of(new PersuasionOracle(config));
  }

  /** The oracle replays the conversation's persuader messages, whoever wrote them, through the rules: it acts from any state. */
  @Override
  public boolean oracleActsFromAnyState(PersuasionConfig config) {
    return true;
  }

  @Override
  public Agent randomAgent(PersuasionConfig config) {
    return new PersuasionRandomAgent();
  }
}
