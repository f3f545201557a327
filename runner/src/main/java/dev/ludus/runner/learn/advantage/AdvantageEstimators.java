package dev.ludus.runner.learn.advantage;

import java.util.List;

/**
 * Makes advantage estimators, by name or by type. Names: {@code grpo}, {@code rloo},
 * {@code reinforce-plus-plus}, {@code ppo-gae}, {@code igpo}. Stateless and thread-safe.
 */
public final class AdvantageEstimators {

  /** Every name {@link #of} knows, in catalog order. */
  public static final List<String> NAMES = List.of("grpo", "rloo", "reinforce-plus-plus", "ppo-gae", "igpo");

  private AdvantageEstimators() {}

  /** The estimator {@code name} with its default settings. */
  public static AdvantageEstimator of(String name) {
    return of(name, null);
  }

  /**
   * The estimator {@code name} with {@code config}, which must be that estimator's config record (null for
   * its defaults).
   *
   * @throws IllegalArgumentException for an unknown name (the message lists the known ones) or a config of
   *     another estimator
   */
  public static AdvantageEstimator of(String name, AdvantageConfig config) {
    if (name == null || !NAMES.contains(name)) {
      throw new IllegalArgumentException("unknown advantage estimator '" + name + "'; known: " + String.join(", ", NAMES));
    }
    return switch (name) {
      case "grpo" -> grpo(config == null ? GrpoConfig.defaults() : expect(name, GrpoConfig.class, config));
      case "rloo" -> {
        if (config != null) {
          expect(name, RlooConfig.class, config);
        }
        yield rloo();
      }
      case "reinforce-plus-plus" -> reinforcePlusPlus(
          config == null ? ReinforcePlusPlusConfig.defaults() : expect(name, ReinforcePlusPlusConfig.class, config));
      case "ppo-gae" -> ppoGae(config == null ? PpoGaeConfig.defaults() : expect(name, PpoGaeConfig.class, config));
      case "igpo" -> igpo(config == null ? IgpoConfig.defaults() : expect(name, IgpoConfig.class, config));
      default -> throw new AssertionError(name);
    };
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

  private static <C extends AdvantageConfig> C expect(String name, Class<C> type, AdvantageConfig config) {
    if (!type.isInstance(config)) {
      throw new IllegalArgumentException("advantage estimator '" + name + "' takes a " + type.getSimpleName()
          + ", not a " + config.getClass().getSimpleName());
    }
    return type.cast(config);
  }
}
