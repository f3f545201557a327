package dev.ludus.shaping.signal;

import dev.ludus.api.Episode;
import dev.ludus.api.Signals;
import dev.ludus.api.Turn;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * Reading configured signals by name, shared by the shapers of this package: name validation for config
 * records and the state series {@code s_0 .. s_T} of a numeric signal. Stateless.
 */
final class SignalReads {
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

  /**
   * The values of the numeric signal {@code name} in the states of {@code episode}: index 0 is the state at
   * reset ({@link Episode#startSignals()}), index {@code t + 1} the state after turn {@code t}. A state that
   * does not publish the signal carries the last known value; states before the first known value are
   * {@link Double#NaN}.
   *
   * @throws IllegalStateException if the signal holds something that is not a number
   */
  static double[] numericStates(Episode episode, String name) {
    int turns = episode.turns().size();
    double[] v = new double[turns + 1];
    double last = Double.NaN;
    for (int s = 0; s <= turns; s++) {
      Signals signals = s == 0 ? episode.startSignals() : episode.turns().get(s - 1).signals();
      OptionalDouble x = number(signals, name, s - 1);
      if (x.isPresent()) {
        last = x.getAsDouble();
      }
      v[s] = last;
    }
    return v;
  }

  /**
   * The numeric value of {@code name} in {@code signals}, empty when absent.
   *
   * @throws IllegalStateException if the signal holds something that is not a finite number (or a boolean)
   */
  /** Where a signal was read, for messages: {@code turn} -1 is the reset. */
  static String where(int turn) {
    return turn < 0 ? "at reset" : "after turn " + turn;
  }

  /**
   * The numeric signal {@code name} read after {@code turn} (-1: at reset); fails, naming the place, when it
   * is present but not a finite number.
   */
  static OptionalDouble number(Signals signals, String name, int turn) {
    OptionalDouble x = signals.number(name);
    if (x.isEmpty() && signals.has(name)) {
      throw new IllegalStateException(
          "signal '" + name + "' " + where(turn) + " is not a number: " + describe(signals, name));
    }
    if (x.isPresent() && !Double.isFinite(x.getAsDouble())) {
      throw new IllegalStateException("signal '" + name + "' " + where(turn) + " is not finite: " + x.getAsDouble());
    }
    return x;
  }

  /** The value of the boolean signal {@code name}; false when absent. */
  static boolean flag(Signals signals, String name, int turn) {
    Optional<Object> v = signals.raw(name);
    if (v.isEmpty()) {
      return false;
    }
    if (v.get() instanceof Boolean b) {
      return b;
    }
    throw new IllegalStateException("signal '" + name + "' " + where(turn) + " is not a boolean: " + describe(signals, name));
  }

  /** The last turn's value of {@code name}, or the latest earlier turn's if the last does not publish it. */
  static OptionalDouble lastNumber(List<Turn> turns, String name) {
    for (int t = turns.size() - 1; t >= 0; t--) {
      OptionalDouble x = number(turns.get(t).signals(), name, t);
      if (x.isPresent()) {
        return x;
      }
    }
    return OptionalDouble.empty();
  }

  private static String describe(Signals signals, String name) {
    Object v = signals.raw(name).orElse(null);
    return v == null ? "null" : v.getClass().getSimpleName() + " " + v;
  }
}
