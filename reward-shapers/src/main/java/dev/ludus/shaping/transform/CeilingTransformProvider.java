package dev.ludus.shaping.transform;

import dev.ludus.api.RewardTransform;
import dev.ludus.api.TransformProvider;

/**
 * {@code ceiling}: a reward ceiling, {@code r̃ = min(r, c)}, one of the baselines of Fu et al.,
 * <i>Reward Shaping to Mitigate Reward Hacking in RLHF</i> (2025): rewards above c stop paying, which caps
 * what hacking the reward model can earn.
 *
 * <p>Provenance [CODE: PorUna-byte/PAR {@code src/trainers/reward_shaper.py}, {@code reward_ceil}].
 *
 * <p>Law: every value is at most c, and values at or below c are unchanged. Stateless and thread-safe.
 */
public final class CeilingTransformProvider implements TransformProvider<CeilingTransformProvider.Config> {

  /** @param ceiling the largest reward c, finite */
  public record Config(double ceiling) {
    public Config {
      if (!Double.isFinite(ceiling)) {
        throw new IllegalArgumentException("ceiling must be a finite number, was " + ceiling);
      }
    }
  }

  public CeilingTransformProvider() {}

  @Override
  public String name() {
    return "ceiling";
  }

  @Override
  public String description() {
    return "rewards capped at a ceiling c";
  }

  @Override
  public String formula() {
    return "r̃ = min(r, c)";
  }

  @Override
  public String reference() {
    return "Reward Shaping to Mitigate Reward Hacking in RLHF (Fu et al., 2025), reward ceiling baseline "
        + "[CODE: PorUna-byte/PAR]";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return new Config(1.0);
  }

  @Override
  public RewardTransform create(Config config) {
    double c = config.ceiling();
    return values -> Cells.map(values.values(), r -> Math.min(r, c));
  }
}
