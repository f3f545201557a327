package dev.ludus.api;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An environment provider together with its configuration: everything the runtime needs to create
 * instances and agents that know the environment. Immutable and thread-safe.
 */
public final class BoundEnvironment {
  private final EnvironmentProvider<Object> provider;
  private final Object config;

  private BoundEnvironment(EnvironmentProvider<Object> provider, Object config) {
    this.provider = provider;
    this.config = config;
  }

  public static <C> BoundEnvironment of(EnvironmentProvider<C> provider, C config) {
    return ofUnchecked(provider, config);
  }

  /** Binds a provider found by name to a configuration whose type is checked at run time. */
  @SuppressWarnings("unchecked")
  public static BoundEnvironment ofUnchecked(EnvironmentProvider<?> provider, Object config) {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(config, "config");
    if (!provider.configType().isInstance(config)) {
      throw new ConfigException("environment '" + provider.name() + "' takes a " + provider.configType().getSimpleName()
          + ", not a " + config.getClass().getSimpleName());
    }
    return new BoundEnvironment((EnvironmentProvider<Object>) provider, config);
  }

  public String name() {
    return provider.name();
  }

  public Object config() {
    return config;
  }

  public EnvironmentProvider<?> provider() {
    return provider;
  }

  /**
   * A new environment instance, wrapped so that its life-cycle is enforced: step before reset or after the
   * end is refused with an {@link IllegalStateException}, and close runs once.
   */
  public AnyEnvironment create() {
    return OrderEnforcing.wrap(provider.create(config));
  }

  public TaskSource tasks() {
    return provider.tasks(config);
  }

  public Set<SignalKey<?>> signals() {
    return provider.signals();
  }

  public Optional<Agent> oracle() {
    return provider.oracle(config);
  }

  public Agent randomAgent() {
    return provider.randomAgent(config);
  }

  public boolean blocking() {
    return provider.blocking(config);
  }

  @Override
  public String toString() {
    return provider.name() + " " + config;
  }
}
