package dev.ludus.api;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An environment provider together with its configuration and the {@link PluginContext} it creates
 * instances with: everything the runtime needs to create instances and agents that know the environment.
 * Bound without a context ({@link #of}, {@link EnvironmentProvider#bind}) it uses the
 * {@link PluginContext#minimal() minimal one}; the runtime binds its run's context with {@link #withContext},
 * and gives it to an environment it is handed without one. Immutable and thread-safe.
 */
public final class BoundEnvironment {
  private final EnvironmentProvider<Object> provider;
  private final Object config;
  private final PluginContext context; // null: none chosen, the minimal one

  private BoundEnvironment(EnvironmentProvider<Object> provider, Object config, PluginContext context) {
    this.provider = provider;
    this.config = config;
    this.context = context;
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
    return new BoundEnvironment((EnvironmentProvider<Object>) provider, config, null);
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

  /** The same environment, creating its instances with {@code context}. */
  public BoundEnvironment withContext(PluginContext context) {
    return new BoundEnvironment(provider, config, Objects.requireNonNull(context, "context"));
  }

  /** Whether a context was chosen with {@link #withContext}; without one, instances get the minimal context. */
  public boolean hasContext() {
    return context != null;
  }

  /** The context instances are created with. */
  public PluginContext context() {
    return context != null ? context : PluginContext.minimal();
  }

  /**
   * A new environment instance, made with {@link #context()} and wrapped so that its life-cycle is enforced:
   * step before reset or after the end is refused with an {@link IllegalStateException}, and close runs once.
   */
  public AnyEnvironment create() {
    return OrderEnforcing.wrap(provider.create(config, context()));
  }

  /**
   * Creates one instance and closes it, so that what only creation can check (a simulated user the
   * configuration names, a file the environment opens) fails now, before a run starts, rather than as every
   * episode's failure; returns this. The runtime's commands call it on the command's thread, which also
   * builds what the environment {@link PluginContext#shared shares} for the run before any event loop needs
   * it.
   *
   * @throws ConfigException naming the environment, when creation fails with a {@link ConfigException} or an
   *     {@link IllegalArgumentException}
   */
  public BoundEnvironment probe() {
    AnyEnvironment instance;
    try {
      instance = provider.create(config, context());
    } catch (ConfigException | IllegalArgumentException e) {
      throw new ConfigException("environment '" + name() + "': " + e.getMessage(), e);
    }
    if (instance == null) {
      throw new IllegalStateException("environment '" + name() + "' created null");
    }
    try {
      instance.close();
    } catch (Exception e) {
      throw new IllegalStateException("environment '" + name() + "' failed to close a fresh instance: " + e, e);
    }
    return this;
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
