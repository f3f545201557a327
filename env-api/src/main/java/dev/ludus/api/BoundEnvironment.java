package dev.ludus.api;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An environment provider together with its configuration and the {@link PluginContext} it creates
 * instances with: everything the runtime needs to create instances and agents that know the environment.
 * Bound without a context ({@link #of}, {@link EnvironmentProvider#bind}) it uses the
 * {@link PluginContext#minimal() minimal one}; the runtime binds its run's context with {@link #withContext},
 * and gives it to an environment it is handed without one. Immutable and thread-safe.
 */
public final class BoundEnvironment {
  private static final Pattern KEBAB = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

  private final EnvironmentProvider<Object> provider;
  private final Object config;
  private final PluginContext context; // null: none chosen, the minimal one
  private final List<String> seats; // empty: a single-agent environment

  private BoundEnvironment(EnvironmentProvider<Object> provider, Object config, PluginContext context,
      List<String> seats) {
    this.provider = provider;
    this.config = config;
    this.context = context;
    this.seats = seats;
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
    EnvironmentProvider<Object> p = (EnvironmentProvider<Object>) provider;
    return new BoundEnvironment(p, config, null, seatsOf(p, config));
  }

  private static List<String> seatsOf(EnvironmentProvider<Object> provider, Object config) {
    if (!(provider instanceof MultiAgentEnvironmentProvider<Object> multi)) {
      return List.of();
    }
    List<String> seats = multi.seats(config);
    if (seats == null || seats.isEmpty()) {
      throw new ConfigException("multi-agent environment '" + provider.name() + "' declares no seats; it needs at "
          + "least one");
    }
    if (new LinkedHashSet<>(seats).size() != seats.size()) {
      throw new ConfigException("multi-agent environment '" + provider.name() + "' declares a seat twice: " + seats);
    }
    for (String seat : seats) {
      if (seat == null || !KEBAB.matcher(seat).matches()) {
        throw new ConfigException("multi-agent environment '" + provider.name() + "' has seat '" + seat
            + "', which is not kebab-case (e.g. 'alice', 'player-1')");
      }
    }
    return List.copyOf(seats);
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
    return new BoundEnvironment(provider, config, Objects.requireNonNull(context, "context"), seats);
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
   * Whether the provider is a {@link MultiAgentEnvironmentProvider}: its instances are
   * {@link AnyMultiAgentEnvironment}s with {@link #seats()}.
   */
  public boolean multiAgent() {
    return !seats.isEmpty();
  }

  /** The seats of a multi-agent environment, in order; empty for a single-agent one. */
  public List<String> seats() {
    return seats;
  }

  /**
   * A new environment instance, made with {@link #context()} and wrapped so that its life-cycle is enforced:
   * step before reset or after the end is refused with an {@link IllegalStateException}, and close runs once.
   * A multi-agent instance's wrapper also refuses (with an {@link IllegalArgumentException}) a step whose moves
   * are not exactly those of the seats to move, and fails with an {@link IllegalStateException} an answer that
   * names a seat the environment does not declare or leaves a declared seat without an opening.
   */
  public AnyEnvironment create() {
    return OrderEnforcing.wrap(provider.create(config, context()), name(), seats);
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

  /**
   * The environment's oracle, as a {@link PrivilegedAgent}: the runtime gives it the whole task (in a seat, the
   * seat's private view of it), which it may need to solve the task.
   */
  public Optional<Agent> oracle() {
    return provider.oracle(config).map(PrivilegedAgent::of);
  }

  /** A multi-agent environment's scripted bots by name ({@link MultiAgentEnvironmentProvider#bots}); else none. */
  public Map<String, Agent> bots() {
    return provider instanceof MultiAgentEnvironmentProvider<Object> multi ? Map.copyOf(multi.bots(config)) : Map.of();
  }

  public Agent randomAgent() {
    return provider.randomAgent(config);
  }

  public boolean blocking() {
    return provider.blocking(config);
  }

  /** See {@link EnvironmentProvider#oracleActsFromAnyState}. */
  public boolean oracleActsFromAnyState() {
    return provider.oracleActsFromAnyState(config);
  }

  /** See {@link EnvironmentProvider#gridCells}. */
  public String gridCells() {
    return provider.gridCells(config);
  }

  /** See {@link EnvironmentProvider#observationsSupersede}. */
  public boolean observationsSupersede() {
    return provider.observationsSupersede(config);
  }

  /**
   * The environment its held-out evaluations play ({@link EnvironmentProvider#heldOut}), with the same context, or
   * empty where held-out seeds suffice.
   */
  public Optional<BoundEnvironment> heldOut() {
    return provider.heldOut(config).map(c -> new BoundEnvironment(provider, c, context, seatsOf(provider, c)));
  }

  /**
   * The environment model selection plays ({@link EnvironmentProvider#validation}), with the same context, or empty
   * where validation seeds on this environment suffice.
   */
  public Optional<BoundEnvironment> validation() {
    return provider.validation(config).map(c -> new BoundEnvironment(provider, c, context, seatsOf(provider, c)));
  }

  @Override
  public String toString() {
    return provider.name() + " " + config;
  }
}
