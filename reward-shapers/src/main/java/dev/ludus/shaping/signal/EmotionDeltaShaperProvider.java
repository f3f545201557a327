package dev.ludus.shaping.signal;

import dev.ludus.api.Episode;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.ShaperProvider;
import dev.ludus.api.SignalKey;
import dev.ludus.api.StandardSignals;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * {@code emotion-delta}: the simulated user's emotion as reward, after RLVER, <i>RLVER: Reinforcement
 * Learning with Verifiable Emotion Rewards for Empathetic Agents</i>; catalog entry A4 [SUMMARY + PAPER
 * abstract; the per-turn variant is INFERRED].
 *
 * <p>Formula: in {@code delta} mode (the default) {@code r_t = (e_t − e_{t−1}) / 100}, where {@code e_t} is the
 * {@link StandardSignals#EMOTION emotion} signal (0 to 100) after turn {@code t} and {@code e_{−1}} its value
 * at reset; in {@code final} mode {@code R = e_T / 100} on the last turn only, the global reward the paper
 * reports. The deltas telescope to {@code (e_T − e_{−1}) / 100}, so with a fixed starting emotion the two
 * modes' returns differ by the constant {@code e_{−1} / 100} (the catalog's INFERRED option; it densifies the
 * reward without changing which dialogues are best).
 *
 * <p>Missing values: a turn that does not publish the signal carries the last known value. In delta mode,
 * turns before the first known value get no contribution; in final mode an episode that never publishes it
 * gets none. Final mode is {@link RewardShaper.Scope#EPISODE EPISODE}-scoped: whether a turn pays depends on
 * whether it is the last.
 *
 * <p>Stateless and thread-safe.
 */
public final class EmotionDeltaShaperProvider implements ShaperProvider<EmotionDeltaShaperProvider.Config> {

  /** The {@code mode} that pays each turn's change. */
  public static final String DELTA = "delta";

  /** The {@code mode} that pays the final emotion on the last turn. */
  public static final String FINAL = "final";

  /**
   * The configuration of {@code emotion-delta}. Immutable; validated on construction.
   *
   * @param signal the emotion signal, 0 to 100; default {@code emotion}
   * @param mode {@code delta} (the default) or {@code final}
   */
  public record Config(String signal, String mode) {
    public Config {
      SignalReads.requireName("signal", signal);
      String m = mode == null ? null : mode.trim().toLowerCase(Locale.ROOT);
      if (!DELTA.equals(m) && !FINAL.equals(m)) {
        throw new IllegalArgumentException("mode must be 'delta' or 'final', was "
            + (mode == null ? "null" : "'" + mode + "'"));
      }
      mode = m;
    }

    /** The {@code emotion} signal in delta mode. */
    public static Config defaults() {
      return new Config(StandardSignals.EMOTION.name(), DELTA);
    }
  }

  @Override
  public String name() {
    return "emotion-delta";
  }

  @Override
  public String description() {
    return "the change in the simulated user's emotion (0-100) on each turn, or its final value";
  }

  @Override
  public String formula() {
    return "r_t = (e_t − e_{t−1}) / 100 (delta), or R = e_T / 100 on the last turn (final)";
  }

  @Override
  public String reference() {
    return "RLVER: Reinforcement Learning with Verifiable Emotion Rewards for Empathetic Agents; catalog A4 "
        + "[SUMMARY + PAPER abstract; delta mode INFERRED]";
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
    return new EmotionDelta(config.signal(), FINAL.equals(config.mode()));
  }

  private static final class EmotionDelta extends SignalShaper {
    private final SignalKey<Double> signal;
    private final boolean fin;

    EmotionDelta(String signal, boolean fin) {
      this(SignalReads.numberKey(signal), fin);
    }

    private EmotionDelta(SignalKey<Double> signal, boolean fin) {
      super("emotion-delta", Set.of(signal));
      this.signal = signal;
      this.fin = fin;
    }

    @Override
    public Scope scope() {
      return fin ? Scope.EPISODE : Scope.TURN;
    }

    @Override
    TurnRewards rewards(Episode episode) {
      double[] e = SignalReads.numericStates(episode, signal);
      int turns = episode.turns().size();
      if (fin) {
        // the final score, on the last turn
        return t -> t == turns - 1 && !Double.isNaN(e[turns]) ? OptionalDouble.of(e[turns] / 100)
            : OptionalDouble.empty();
      }
      return t -> Double.isNaN(e[t]) ? OptionalDouble.empty() : OptionalDouble.of((e[t + 1] - e[t]) / 100);
    }
  }
}
