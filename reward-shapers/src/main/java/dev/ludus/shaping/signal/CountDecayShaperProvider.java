package dev.ludus.shaping.signal;

import dev.ludus.api.Episode;
import dev.ludus.api.Message;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.ShaperProvider;
import dev.ludus.api.Turn;
import dev.ludus.api.SignalKey;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code count-decay}: an intrinsic reward for events that decays with how often the event was seen in the
 * episode, after ONI, <i>Online Intrinsic Rewards for Decision Making Agents from Large Language Model
 * Feedback</i>; catalog entry A7 [CODE: facebookresearch/oni, {@code learner.py}, {@code obs_wrappers.py}].
 *
 * <p>Formula: {@code r_t = c · base_t / N_ep(m_t)^β}, where {@code m_t} is the event of turn {@code t} and
 * {@code N_ep(m_t)} counts the occurrences of exactly that event in this episode so far, this one included
 * (so the second identical event earns {@code 1/2^β} of the first: 1/8 at the default β = 3). The event is
 * the text of turn {@code t}'s observation messages (the non-empty ones, joined by newlines) or, with
 * {@code event} naming a signal, that signal's value as a string. A turn with no event (empty text, signal
 * absent) earns 0 and is not counted.
 *
 * <p>Deviation from ONI: there {@code base_t = r_llm(m_t) ∈ {0, 1}} is an asynchronous LLM label of the
 * message (helpful or not). Without an LLM judge {@code base_t = 1}; with {@code onlyIfSignal} naming a
 * boolean signal (e.g. a judge's verdict published by the environment), {@code base_t} is 1 when that signal
 * is true after turn {@code t} and 0 otherwise (absent counts as false). Events are counted either way, as
 * ONI counts messages whatever their label. ONI's extrinsic term {@code c_ext·r_env} is left to the
 * {@code outcome} shaper and the run's weights.
 *
 * <p>Stateless and thread-safe.
 */
public final class CountDecayShaperProvider implements ShaperProvider<CountDecayShaperProvider.Config> {

  /** The {@code event} value that means the observation text rather than a signal. */
  public static final String OBSERVATION = "observation";

  /**
   * The configuration of {@code count-decay}. Immutable; validated on construction.
   *
   * @param event {@code observation} (the default) for the text of the turn's observation messages, or the
   *     name of a signal whose value is the event
   * @param beta the count exponent β, at least 0; default 3 (ONI's {@code beta_count_exponent})
   * @param coefficient the coefficient c, a finite number; default 0.4 (ONI's {@code c_llm})
   * @param onlyIfSignal the name of a boolean signal that must be true for a turn to pay; null (the default)
   *     for none
   */
  public record Config(String event, double beta, double coefficient, String onlyIfSignal) {
    public Config {
      if (event == null || !event.equals(OBSERVATION)) {
        try {
          SignalReads.requireName("event", event);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("event must be 'observation' or a kebab-case signal name, was "
              + (event == null ? "null" : "'" + event + "'"), e);
        }
      }
      if (!(beta >= 0 && beta < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException("beta must be a finite number >= 0, was " + beta);
      }
      SignalReads.requireFinite("coefficient", coefficient);
      if (onlyIfSignal != null) {
        SignalReads.requireName("onlyIfSignal", onlyIfSignal);
      }
    }

    /** Observation text, β = 3, c = 0.4, every turn counts. */
    public static Config defaults() {
      return new Config(OBSERVATION, 3.0, 0.4, null);
    }
  }

  @Override
  public String name() {
    return "count-decay";
  }

  @Override
  public String description() {
    return "an intrinsic reward for each event, decaying with its count in the episode";
  }

  @Override
  public String formula() {
    return "r_t = c · base_t / N_ep(m_t)^β";
  }

  @Override
  public String reference() {
    return "Online Intrinsic Rewards for Decision Making Agents from Large Language Model Feedback (ONI); "
        + "catalog A7 [CODE: facebookresearch/oni; base_t = 1 without the LLM label]";
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
    return new CountDecay(config);
  }

  private static final class CountDecay extends SignalShaper {
    private final Config config;
    /** The signal whose value, as text, is the event; null for the observation text. Any type reads. */
    private final SignalKey<Object> event;
    /** The boolean gate; null when every turn pays. */
    private final SignalKey<Boolean> gate;

    CountDecay(Config config) {
      this(config, config.event().equals(OBSERVATION) ? null : SignalKey.of(config.event(), Object.class),
          config.onlyIfSignal() == null ? null : SignalReads.flagKey(config.onlyIfSignal()));
    }

    private CountDecay(Config config, SignalKey<Object> event, SignalKey<Boolean> gate) {
      super("count-decay", Stream.of(event, gate).filter(Objects::nonNull).collect(Collectors.toSet()));
      this.config = config;
      this.event = event;
      this.gate = gate;
    }

    @Override
    TurnRewards rewards(Episode episode) {
      Map<String, Integer> counts = new HashMap<>();
      return t -> {
        Turn turn = episode.turns().get(t);
        String m = event(turn, t);
        double r = 0;
        if (!m.isEmpty()) {
          int n = counts.merge(m, 1, Integer::sum);
          boolean pays = gate == null || SignalReads.flag(turn.signals(), gate, t);
          if (pays) {
            r = config.coefficient() / Math.pow(n, config.beta());
          }
        }
        return OptionalDouble.of(r);
      };
    }

    private String event(Turn turn, int t) {
      if (event == null) {
        return turn.observation().stream().map(Message::content).filter(c -> !c.isEmpty())
            .collect(Collectors.joining("\n"));
      }
      return SignalReads.read(turn.signals(), event, t).map(String::valueOf).orElse("");
    }
  }
}
