package dev.ludus.environments.dialogue;

import dev.ludus.api.AnyEnvironment;
import dev.ludus.api.EnvironmentProvider;
import dev.ludus.api.PluginContext;
import dev.ludus.api.PluginRef;
import dev.ludus.api.SignalKey;
import dev.ludus.api.UserSimulator;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The skeleton of a dialogue environment's provider: its name, description, configuration type and signals are
 * fixed at construction, and {@link #create(Object, PluginContext)} asks the run's context for the simulated user the
 * configuration names (under the configuration field {@code user}, so a failure names it) and hands it to
 * {@link #environment}. A dialogue provider says only what is its own: its default configuration, which user to ask
 * for, the environment, the oracle and the random agent. Stateless and thread-safe.
 *
 * @param <C> the environment's configuration record
 */
public abstract class UserDialogueProvider<C> implements EnvironmentProvider<C> {
  private final String name;
  private final String description;
  private final Class<C> configType;
  private final Set<SignalKey<?>> signals;

  /**
   * @param userSignals the signals the simulated user publishes, first in {@link #signals()}
   * @param own the environment's own signals, after the user's, in this order
   */
  protected UserDialogueProvider(String name, String description, Class<C> configType,
      Collection<? extends SignalKey<?>> userSignals, SignalKey<?>... own) {
    this.name = Objects.requireNonNull(name, "name");
    this.description = Objects.requireNonNull(description, "description");
    this.configType = Objects.requireNonNull(configType, "configType");
    Set<SignalKey<?>> s = new LinkedHashSet<>(userSignals);
    s.addAll(List.of(own));
    this.signals = Collections.unmodifiableSet(s);
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final String description() {
    return description;
  }

  @Override
  public final Class<C> configType() {
    return configType;
  }

  @Override
  public final Set<SignalKey<?>> signals() {
    return signals;
  }

  @Override
  public final AnyEnvironment create(C config, PluginContext context) {
    return environment(config, context.simulator("user", user(config)));
  }

  /** The simulated user {@code config} plays with, as the plugin context is asked for it. */
  protected abstract PluginRef user(C config);

  /** A new environment around {@code user}, which it owns and closes. */
  protected abstract AnyEnvironment environment(C config, UserSimulator user);
}
