package dev.ludus.shaping.transform;

import dev.ludus.api.Episode;
import dev.ludus.api.RewardTransform;
import dev.ludus.api.TransformProvider;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * {@code noise}: the reward-flip noise injector of Lv et al., <i>The Climb Carves Wisdom Deeper Than the
 * Summit: On the Noisy Rewards in Learning to Reason</i> (2025), for robustness experiments: per group, with
 * probability p, every reward r becomes {@code 1 − r} (a flipped verdict for rewards in [0, 1]).
 *
 * <p>Provenance [CODE: trestad/Noisy-Rewards-in-Learning-to-Reason {@code naive.py}, as the catalog
 * describes it]. Determinism, by design: whether a group flips is decided by {@code seed} and the group's
 * task id alone, so a run is reproducible and a task flips (or not) every time it is seen, like a corrupted
 * label; every component the transform targets flips together.
 *
 * <p>It corrupts rewards on purpose: it is never on by default. It runs only when a run lists it, and its
 * default {@code p} is 0, so it flips nothing until p is set. Stateless and thread-safe.
 */
public final class NoiseTransformProvider implements TransformProvider<NoiseTransformProvider.Config> {

  /**
   * @param p the probability that a group's rewards flip, in [0, 1]
   * @param seed the seed that, with the task id, decides each group
   */
  public record Config(double p, long seed) {
    public Config {
      if (!(p >= 0 && p <= 1)) {
        throw new IllegalArgumentException("p must be a probability in [0, 1], was " + p);
      }
    }
  }

  public NoiseTransformProvider() {}

  @Override
  public String name() {
    return "noise";
  }

  @Override
  public String description() {
    return "for robustness experiments: flips a group's rewards to 1 − r with probability p (off unless p is set)";
  }

  @Override
  public String formula() {
    return "r̃ = 1 − r for the whole group with probability p, else r";
  }

  @Override
  public String reference() {
    return "The Climb Carves Wisdom Deeper Than the Summit: On the Noisy Rewards in Learning to Reason "
        + "(Lv et al., 2025) [CODE: trestad/Noisy-Rewards-in-Learning-to-Reason]";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return new Config(0.0, 0L);
  }

  @Override
  public RewardTransform create(Config config) {
    return values -> {
      String task = values.episodes().isEmpty() ? "" : taskId(values.episodes().get(0));
      return flips(config, task) ? Cells.map(values.values(), r -> 1 - r) : Cells.copy(values.values());
    };
  }

  /** Whether the group on {@code taskId} flips under {@code config}. */
  static boolean flips(Config config, String taskId) {
    return new SplittableRandom(config.seed() ^ fnv1a64(taskId)).nextDouble() < config.p();
  }

  private static String taskId(Episode e) {
    return e.task() == null ? "" : e.task().id();
  }

  private static long fnv1a64(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }
}
