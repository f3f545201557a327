package dev.ludus.api;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The typed name of a signal: a fact that an environment or a simulated user knows and the agent never sees.
 *
 * <p>Keys are compared by name and type. Declare them once as constants, e.g.
 * {@code static final SignalKey<Double> ENTROPY = SignalKey.of("candidate-entropy", Double.class)}.
 * Values must serialize to JSON (numbers, strings, booleans, lists, records).
 *
 * @param name a kebab-case name, unique within an environment
 * @param type the value's type
 * @param secret true when the value must never be readable from the agent's observation while the
 *     episode runs (a hidden target, the user's private goal); {@link EnvChecker} verifies it
 * @param <T> the value's type
 */
public record SignalKey<T>(String name, Class<T> type, boolean secret) {
  private static final Pattern KEBAB = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

  public SignalKey {
    Objects.requireNonNull(type, "type");
    if (name == null || !KEBAB.matcher(name).matches()) {
      throw new IllegalArgumentException("signal name '" + name + "' is not kebab-case (e.g. 'remaining-range')");
    }
  }

  /** A key whose value may appear in the agent's observation. */
  public static <T> SignalKey<T> of(String name, Class<T> type) {
    return new SignalKey<>(name, type, false);
  }

  /** A key whose value the agent must not be able to read (checked by {@link EnvChecker}). */
  public static <T> SignalKey<T> secret(String name, Class<T> type) {
    return new SignalKey<>(name, type, true);
  }

  /** Casts {@code value} to this key's type, converting between numeric types read back from JSON. */
  @SuppressWarnings("unchecked")
  T cast(Object value) {
    if (type.isInstance(value)) {
      return (T) value;
    }
    if (value instanceof Number n) {
      if (type == Double.class) {
        return (T) Double.valueOf(n.doubleValue());
      } else if (type == Integer.class) {
        return (T) Integer.valueOf(n.intValue());
      } else if (type == Long.class) {
        return (T) Long.valueOf(n.longValue());
      }
    }
    throw new ClassCastException(
        "signal '" + name + "' holds a " + value.getClass().getSimpleName() + ", not a " + type.getSimpleName());
  }
}
