package dev.ludus.api;

import java.util.ServiceLoader;

/**
 * Every registered environment, agent backend, simulated user, reward shaper, transform and combiner,
 * found through
 * {@link ServiceLoader}. A user's plugin is a jar passed to {@code ./ludus --plugins} with a {@code META-INF/services} entry:
 * no change to Ludus. Immutable and thread-safe once loaded.
 */
public final class Registry {
  private final Catalog<EnvironmentProvider<?>> environments;
  private final Catalog<AgentProvider<?>> agents;
  private final Catalog<SimulatorProvider<?>> simulators;
  private final Catalog<ShaperProvider<?>> shapers;
  private final Catalog<TransformProvider<?>> transforms;
  private final Catalog<CombinerProvider<?>> combiners;

  private Registry(ClassLoader loader) {
    this.environments = new Catalog<>("environment", load(EnvironmentProvider.class, loader));
    this.agents = new Catalog<>("agent", load(AgentProvider.class, loader));
    this.simulators = new Catalog<>("simulator", load(SimulatorProvider.class, loader));
    this.shapers = new Catalog<>("shaper", load(ShaperProvider.class, loader));
    this.transforms = new Catalog<>("transform", load(TransformProvider.class, loader));
    this.combiners = new Catalog<>("combiner", load(CombinerProvider.class, loader));
  }

  /** Loads from the thread's context class loader. */
  public static Registry load() {
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    return new Registry(cl != null ? cl : Registry.class.getClassLoader());
  }

  public static Registry load(ClassLoader loader) {
    return new Registry(loader);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static <P> Iterable<P> load(Class<?> type, ClassLoader loader) {
    return (Iterable<P>) (Iterable) ServiceLoader.load(type, loader);
  }

  public Catalog<EnvironmentProvider<?>> environments() {
    return environments;
  }

  public Catalog<AgentProvider<?>> agents() {
    return agents;
  }

  public Catalog<SimulatorProvider<?>> simulators() {
    return simulators;
  }

  public Catalog<ShaperProvider<?>> shapers() {
    return shapers;
  }

  public Catalog<TransformProvider<?>> transforms() {
    return transforms;
  }

  public Catalog<CombinerProvider<?>> combiners() {
    return combiners;
  }
}
