package dev.ludus.shaping.signal;

import dev.ludus.api.Episode;
import dev.ludus.api.SignalKey;
import dev.ludus.api.Signals;
import dev.ludus.api.Turn;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * Reading signals through typed keys, for the built-in shapers (and any plugin shaper that wants the same
 * messages): the key of a configured signal name, a read that fails naming the signal and the turn, and the
 * state series {@code s_0 .. s_T} of a numeric signal. A configured name becomes a key once, when the shaper is
 * made ({@link #numberKey}, {@link #flagKey}); the key is what the shaper declares in
 * {@link dev.ludus.api.RewardShaper#requiredSignals()} and what it reads with. Stateless.
 */
public final class SignalReads {
  private static final Pattern KEBAB = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

  private SignalReads() {}

  /** {@code value} if it is a kebab-case signal name; otherwise an exception naming {@code field}. */
  static String requireName(String field, String value) {
    if (value == null || !KEBAB.matcher(value).matches()) {
      throw new IllegalArgumentException(field + " must be a kebab-case signal name (e.g. candidate-entropy), was "
          + (value == null ? "null" : "'" + value + "'"));
    }
    return value;
  }

  /** {@code value} if it is a finite number; otherwise an exception naming {@code field}. */
  static double requireFinite(String field, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(field + " must be a finite number, was " + value);
    }
    return value;
  }

  /** The key of a numeric signal configured by name: it reads any number, and a boolean as 1 or 0. */
  public static SignalKey<Double> numberKey(String name) {
    return SignalKey.of(name, Double.class);
  }

  /** The key of a boolean signal configured by name. */
  public static SignalKey<Boolean> flagKey(String name) {
    return SignalKey.of(name, Boolean.class);
  }

  /** Where a signal was read, for messages: {@code turn} -1 is the reset. */
  static String where(int turn) {
    return turn < 0 ? "at reset" : "after turn " + turn;
  }

  /**
   * The value of {@code key} in {@code signals}, read after {@code turn} (-1: at reset); empty when absent.
   *
   * @throws IllegalStateException naming the signal and the turn when the value is not of the key's type
   */
  public static <T> Optional<T> read(Signals signals, SignalKey<T> key, int turn) {
    try {
      return signals.get(key);
    } catch (ClassCastException e) {
      throw new IllegalStateException("signal '" + key.name() + "' " + where(turn) + " is not " + what(key) + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * The numeric signal {@code key} read after {@code turn} (-1: at reset), empty when absent.
   *
   * @throws IllegalStateException naming the signal and the turn when it is present but not a finite number
   */
  public static OptionalDouble number(Signals signals, SignalKey<Double> key, int turn) {
    Optional<Double> x = read(signals, key, turn);
    if (x.isEmpty()) {
      return OptionalDouble.empty();
    }
    if (!Double.isFinite(x.get())) {
      throw new IllegalStateException("signal '" + key.name() + "' " + where(turn) + " is not finite: " + x.get());
    }
    return OptionalDouble.of(x.get());
  }

  /**
   * The boolean signal {@code key} read after {@code turn}; false when absent.
   *
   * @throws IllegalStateException naming the signal and the turn when it is present but not a boolean
   */
  public static boolean flag(Signals signals, SignalKey<Boolean> key, int turn) {
    return read(signals, key, turn).orElse(false);
  }

  /**
   * The values of the numeric signal {@code key} in the states of {@code episode}: index 0 is the state at
   * reset ({@link Episode#startSignals()}), index {@code t + 1} the state after turn {@code t}. A state that
   * does not publish the signal carries the last known value; states before the first known value are
   * {@link Double#NaN}.
   *
   * @throws IllegalStateException if the signal holds something that is not a finite number
   */
  static double[] numericStates(Episode episode, SignalKey<Double> key) {
    int turns = episode.turns().size();
    double[] v = new double[turns + 1];
    double last = Double.NaN;
    for (int s = 0; s <= turns; s++) {
      Signals signals = s == 0 ? episode.startSignals() : episode.turns().get(s - 1).signals();
      OptionalDouble x = number(signals, key, s - 1);
      if (x.isPresent()) {
        last = x.getAsDouble();
      }
      v[s] = last;
    }
    return v;
  }

  /** The last turn's value of {@code key}, or the latest earlier turn's if the last does not publish it. */
  static OptionalDouble lastNumber(List<Turn> turns, SignalKey<Double> key) {
    for (int t = turns.size() - 1; t >= 0; t--) {
      OptionalDouble x = number(turns.get(t).signals(), key, t);
      if (x.isPresent()) {
        return x;
      }
    }
    return OptionalDouble.empty();
  }

  private static String what(SignalKey<?> key) {
    Class<?> type = key.type();
    if (type == Double.class) {
      return "a number";
    } else if (type == Boolean.class) {
      return "a boolean";
    } else if (type == String.class) {
      return "a string";
    }
    return "a " + type.getSimpleName();
  }
}
