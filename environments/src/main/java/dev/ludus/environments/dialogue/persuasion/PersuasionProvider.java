package dev.ludus.environments.dialogue.persuasion;

import dev.ludus.api.Agent;
import dev.ludus.api.AnyEnvironment;
import dev.ludus.api.EnvironmentProvider;
import dev.ludus.api.PluginContext;
import dev.ludus.api.SignalKey;
import dev.ludus.api.StandardSignals;
import dev.ludus.simulators.persuasion.PersuasionSignals;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

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
public final class PersuasionProvider implements EnvironmentProvider<PersuasionConfig> {
  /** The registered name. */
  public static final String NAME = "persuasion";

  private static final Set<SignalKey<?>> SIGNALS;

  static {
    Set<SignalKey<?>> s = new LinkedHashSet<>(PersuasionSignals.all());
    s.add(StandardSignals.SUCCESS);
    SIGNALS = Collections.unmodifiableSet(s);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "PersuasionForGood: persuade a rule-based persuadee with a hidden propensity to donate up to $2";
  }

  @Override
  public Class<PersuasionConfig> configType() {
    return PersuasionConfig.class;
  }

  @Override
  public PersuasionConfig defaultConfig() {
    return PersuasionConfig.defaults();
  }

  @Override
  public AnyEnvironment create(PersuasionConfig config, PluginContext context) {
    return new PersuasionEnvironment(config, context.simulator("user", config.userRef()));
  }

  @Override
  public Set<SignalKey<?>> signals() {
    return SIGNALS;
  }

  @Override
  public Optional<Agent> oracle(PersuasionConfig config) {
    return Optional.of(new PersuasionOracle(config));
  }

  @Override
  public Agent randomAgent(PersuasionConfig config) {
    return new PersuasionRandomAgent();
  }
}
