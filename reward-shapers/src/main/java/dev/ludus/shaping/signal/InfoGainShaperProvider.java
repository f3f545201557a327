package dev.ludus.shaping.signal;

import dev.ludus.api.Episode;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.ShaperProvider;
import dev.ludus.api.StandardSignals;

/**
 * {@code info-gain}: the entropy drop of the belief over what the user wants, after Nous, <i>Dialogue as
 * Discovery: Navigating Human Intent Through Principled Inquiry</i>; catalog entry A5 [SUMMARY + INFERRED
 * closed form].
 *
 * <p>Formula: {@code r_t = scale · (H_{t−1} − H_t)}, where {@code H_t} is the entropy signal after turn
 * {@code t} and {@code H_{−1}} its value at reset. The rewards telescope: {@code Σ_t r_t = scale · (H_{−1} −
 * H_T)}. The paper's belief is a product of independent per-attribute beliefs with {@code H(b) = Σ_k H(b_k)};
 * here the environment (or its simulated user) publishes {@code H} itself, as in the INFERRED closed form
 * for uniform beliefs ({@code H = log2} of the number of remaining candidates, so halving the candidates pays
 * exactly one bit). With {@code count}, the signal is a candidate count and {@code H = log2(max(count, 1))}.
 *
 * <p>Missing values: a turn that does not publish the signal carries the last known value (and so earns 0).
 * Turns before the signal's first known value get no contribution.
 *
 * <p>Stateless and thread-safe.
 */
public final class InfoGainShaperProvider implements ShaperProvider<InfoGainShaperProvider.Config> {

  /**
   * The configuration of {@code info-gain}. Immutable; validated on construction.
   *
   * @param signal the entropy signal, in bits; default {@code candidate-entropy}
   * @param scale a factor on every reward; default 1.0
   * @param count whether the signal is a candidate count rather than an entropy ({@code H = log2(count)}),
   *     e.g. with {@code signal: candidate-count}; default false
   */
  public record Config(String signal, double scale, boolean count) {
    public Config {
      SignalReads.requireName("signal", signal);
      SignalReads.requireFinite("scale", scale);
    }

    /** {@code candidate-entropy}, scale 1. */
    public static Config defaults() {
      return new Config(StandardSignals.CANDIDATE_ENTROPY.name(), 1.0, false);
    }
  }

  @Override
  public String name() {
    return "info-gain";
  }

  @Override
  public String description() {
    return "the drop in the entropy of the remaining candidates on each turn, in bits";
  }

  @Override
  public String formula() {
    return "r_t = scale · (H_{t−1} − H_t)";
  }

  @Override
  public String reference() {
    return "Dialogue as Discovery: Navigating Human Intent Through Principled Inquiry (Nous); catalog A5 "
        + "[SUMMARY + INFERRED closed form]";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return Config.defaults();
  }

  @Override
  public RewardShaper create(Config config) {
    return new InfoGain(config);
  }

  private static final class InfoGain extends SignalShaper.OverStates {
    private static final double LN2 = Math.log(2);

    private final Config config;

    InfoGain(Config config) {
      super("info-gain", config.signal());
      this.config = config;
    }

    @Override
    double reward(Episode episode, int turn, double before, double after) {
      // counts: log2 of the ratio, so that halving the candidates is exactly 1 bit
      double gain = config.count() ? Math.log(Math.max(before, 1) / Math.max(after, 1)) / LN2 : before - after;
      return config.scale() * gain;
    }
  }
}
