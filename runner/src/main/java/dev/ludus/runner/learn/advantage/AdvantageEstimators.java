package dev.ludus.runner.learn.advantage;

import dev.ludus.api.Catalog;
import dev.ludus.api.ConfigException;
import java.util.ServiceLoader;

/**
 * The advantage estimators registered through {@link ServiceLoader} ({@link EstimatorProvider}), by name, and
 * typed factories for the built-in ones. Built in: {@code grpo}, {@code rloo}, {@code reinforce-plus-plus},
 * {@code ppo-gae}, {@code igpo}; a plugin jar adds more. Thread-safe.
 */
public final class AdvantageEstimators {
  private AdvantageEstimators() {}

  /** The registry of the thread's context class loader at first use (Ludus's own and its plugins'). */
  private static final class Default {
    static final Catalog<EstimatorProvider<?>> CATALOG = load(contextLoader());

    private static ClassLoader contextLoader() {
      ClassLoader cl = Thread.currentThread().getContextClassLoader();
      return cl != null ? cl : AdvantageEstimators.class.getClassLoader();
    }
  }

  /** The estimators registered on the class path (Ludus's own and its plugins'), sorted by name. */
  public static Catalog<EstimatorProvider<?>> catalog() {
    return Default.CATALOG;
  }

  /** The estimators registered through {@code loader} (e.g. one over a plugin jar). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Catalog<EstimatorProvider<?>> load(ClassLoader loader) {
    Iterable<EstimatorProvider<?>> found = (Iterable) ServiceLoader.load(EstimatorProvider.class, loader);
    return Catalog.of("estimator", found);
  }

  /** The registered estimator {@code name} with its default settings. */
  public static AdvantageEstimator of(String name) {
    return of(name, null);
  }

  /**
   * The registered estimator {@code name} with {@code config}, which must be that estimator's config record
   * (null for its defaults).
   *
   * @throws ConfigException for an unknown name (the message lists the known ones) or a config of another type
   */
  public static AdvantageEstimator of(String name, Object config) {
    if (name == null) {
      throw new ConfigException("an advantage estimator needs a name; known estimators: "
          + String.join(", ", catalog().names()));
    }
    return create(catalog().get(name), config);
  }

  /** {@code provider}'s estimator with {@code config} (null for its defaults). */
  public static <C> AdvantageEstimator create(EstimatorProvider<C> provider, Object config) {
    if (config == null) {
      return provider.create(provider.defaultConfig());
    }
    if (!provider.configType().isInstance(config)) {
      throw new ConfigException("advantage estimator '" + provider.name() + "' takes a "
          + provider.configType().getSimpleName() + ", not a " + config.getClass().getSimpleName());
    }
    return provider.create(provider.configType().cast(config));
  }

  /** GRPO (catalog E1). */
  public static AdvantageEstimator grpo(GrpoConfig config) {
    return new GrpoEstimator(ConfigChecks.nonNull("grpo", "config", config));
  }

  /** RLOO (catalog E2). */
  public static AdvantageEstimator rloo() {
    return new RlooEstimator();
  }

  /** REINFORCE++ or its baseline variant (catalog E3); whitens over the batch. */
  public static AdvantageEstimator reinforcePlusPlus(ReinforcePlusPlusConfig config) {
    return new ReinforcePlusPlusEstimator(ConfigChecks.nonNull("reinforce-plus-plus", "config", config));
  }

  /** PPO with turn-level GAE (catalog E4); needs the critic's values in the batch. */
  public static AdvantageEstimator ppoGae(PpoGaeConfig config) {
    return new PpoGaeEstimator(ConfigChecks.nonNull("ppo-gae", "config", config));
  }

  /** The IGPO turn-level advantage (catalog E5). */
  public static AdvantageEstimator igpo(IgpoConfig config) {
    return new IgpoEstimator(ConfigChecks.nonNull("igpo", "config", config));
  }
}
