package dev.ludus.shaping.signal;

import dev.ludus.api.ConfigException;
import dev.ludus.api.Episode;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.ShaperProvider;

/**
 * {@code potential}: potential-based reward shaping over a numeric signal, after Ng, Harada &amp; Russell,
 * <i>Policy Invariance under Reward Transformations: Theory and Application to Reward Shaping</i> (ICML
 * 1999); catalog entry A11 (cited by OPRL, whose step rewards "act as potential-based shaping", and
 * questioned by <i>Behavior Alignment via Reward Function Optimization</i> [ABSTRACT]).
 *
 * <p>Formula: {@code r_t = γ·Φ(s_{t+1}) − Φ(s_t)} with {@code Φ(s) = scale · signal(s)}, where {@code s_t} is
 * the state before turn {@code t} (the reset signals for {@code t = 0}, else turn {@code t−1}'s signals) and
 * {@code s_{t+1}} the state after it. With {@code terminalZero}, {@code Φ(s_T) = 0} when the last turn
 * terminated the task, so the shaped discounted return is {@code G − Φ(s_0)}: every trajectory from the same
 * start is shifted by the same constant and the optimal policy is unchanged. Without it (or on a truncated
 * episode) the shaped return is {@code G + γ^T·Φ(s_T) − Φ(s_0)}.
 *
 * <p>Missing values: a state that does not publish the signal carries the last known value. Turns that
 * start before the signal's first known value have no potential difference and get no contribution.
 *
 * <p>Stateless and thread-safe.
 */
public final class PotentialShaperProvider implements ShaperProvider<PotentialShaperProvider.Config> {

  /**
   * The configuration of {@code potential}. Immutable; validated on construction.
   *
   * @param signal the numeric signal whose value defines the potential, e.g. {@code candidate-entropy} or
   *     {@code steps-to-goal}; required (null in the defaults, and {@link PotentialShaperProvider#create} refuses it)
   * @param gamma the discount γ, in [0, 1]; default 1.0
   * @param scale Φ(s) = scale · value; default −1.0, so that a shrinking entropy or distance pays
   * @param terminalZero whether Φ of the state after a terminating last turn is 0; default true
   */
  public record Config(String signal, double gamma, double scale, boolean terminalZero) {
    public Config {
      if (signal != null) {
        SignalReads.requireName("signal", signal);
      }
      if (!(gamma >= 0 && gamma <= 1)) {
        throw new IllegalArgumentException("gamma must be between 0 and 1, was " + gamma);
      }
      SignalReads.requireFinite("scale", scale);
    }

    /** The defaults (γ = 1, scale −1, Φ(terminal) = 0) with no signal chosen yet. */
    public static Config defaults() {
      return new Config(null, 1.0, -1.0, true);
    }

    /** The defaults over {@code signal}. */
    public static Config of(String signal) {
      return new Config(signal, 1.0, -1.0, true);
    }
  }

  @Override
  public String name() {
    return "potential";
  }

  @Override
  public String description() {
    return "potential-based shaping over a numeric signal: γΦ(after) − Φ(before), policy-invariant";
  }

  @Override
  public String formula() {
    return "r_t = γ·Φ(s_{t+1}) − Φ(s_t), Φ(s) = scale · signal(s), Φ(terminal) = 0";
  }

  @Override
  public String reference() {
    return "Ng, Harada & Russell, Policy Invariance under Reward Transformations: Theory and Application to "
        + "Reward Shaping (ICML 1999); catalog A11 (standard PBRS form)";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return Config.defaults();
  }

  /**
   * The shaper for {@code config}.
   *
   * @throws ConfigException if no signal is chosen
   */
  @Override
  public RewardShaper create(Config config) {
    if (config.signal() == null) {
      throw new ConfigException("potential: signal is required: the name of a numeric signal that defines the "
          + "potential (e.g. candidate-entropy, steps-to-goal), was null");
    }
    return new Potential(config);
  }

  private static final class Potential extends SignalShaper.OverStates {
    private final Config config;

    Potential(Config config) {
      super("potential", config.signal());
      this.config = config;
    }

    @Override
    double reward(Episode episode, int turn, double before, double after) {
      boolean terminal = turn == episode.turns().size() - 1 && episode.turns().get(turn).terminated();
      double next = config.terminalZero() && terminal ? 0 : config.scale() * after;
      return config.gamma() * next - config.scale() * before;
    }
  }
}
