package dev.ludus.api;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The typed name of a signal: a fact that an environment or a simulated user knows and the agent never sees.
 *
 * <p>Keys are compared by name and type. Declare them once as constants, e.g.
 * {@code static final SignalKey<Double> ENTROPY = SignalKey.of("candidate-entropy", Double.class)}, or for a
 * list {@code SignalKey.listOf("hints", Hint.class)}. Values must serialize to JSON with Jackson (numbers,
 * strings, booleans, enums, records, lists of them); read back from an episode file they come back as this
 * type (see {@link Signals#get} and {@link dev.ludus.api.codec.EpisodeCodec}).
 *
 * @param name a kebab-case name, unique within an environment
 * @param type the value's type ({@code List} for a list)
 * @param secret true when the value must never be readable from the agent's observation while the
 *     episode runs (a hidden target, the user's private goal); {@link EnvChecker} verifies it
 * @param elementType for a key made with {@link #listOf}, the type of the list's elements; otherwise null
 * @param <T> the value's type
 */
public record SignalKey<T>(String name, Class<T> type, boolean secret, Class<?> elementType) {
  private static final Pattern KEBAB = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

  public SignalKey {
    Objects.requireNonNull(type, "type");
    if (name == null || !KEBAB.matcher(name).matches()) {
      throw new IllegalArgumentException("signal name '" + name + "' is not kebab-case (e.g. 'remaining-range')");
    }
    if (elementType != null && type != List.class) {
      throw new IllegalArgumentException("signal '" + name + "' has an element type (" + elementType.getSimpleName()
          + ") but is a " + type.getSimpleName() + "; only a List key has one");
    }
  }

  /** A key without an element type (any type but a typed list). */
  public SignalKey(String name, Class<T> type, boolean secret) {
    this(name, type, secret, null);
  }

  /** A key whose value may appear in the agent's observation. */
  public static <T> SignalKey<T> of(String name, Class<T> type) {
    return new SignalKey<>(name, type, false);
  }

  /** A key whose value the agent must not be able to read (checked by {@link EnvChecker}). */
  public static <T> SignalKey<T> secret(String name, Class<T> type) {
    return new SignalKey<>(name, type, true);
  }

  /** A key whose value is a list of {@code element}s, which may appear in the agent's observation. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static <E> SignalKey<List<E>> listOf(String name, Class<E> element) {
    return new SignalKey<>(name, (Class) List.class, false, Objects.requireNonNull(element, "element"));
  }

  /**
   * Whether a value published under {@code published} reads through this key: the names are equal and the published
   * type is this key's type or a subtype (for a typed list, of its element type too), or both are numbers that
   * {@link Signals#get} converts ({@code Double} and {@code Float} read any number; {@code Integer} and {@code Long}
   * read whole numbers), or this key is a {@code Double} and the published value a {@code Boolean} (read as 1 or 0).
   * A run checks a shaper's {@link RewardShaper#requiredSignals() keys} against its environment's with it.
   */
  public boolean reads(SignalKey<?> published) {
    if (!name.equals(published.name())) {
      return false;
    }
    Class<?> from = SignalValues.boxed(published.type());
    Class<?> to = SignalValues.boxed(type);
    if (to.isAssignableFrom(from)) {
      return elementType == null || published.elementType() != null
          && SignalValues.boxed(elementType).isAssignableFrom(SignalValues.boxed(published.elementType()));
    }
    if (to == Double.class || to == Float.class) {
      return Number.class.isAssignableFrom(from) || to == Double.class && from == Boolean.class;
    }
    if (to == Integer.class || to == Long.class) {
      return from == Integer.class || from == Long.class || from == Short.class || from == Byte.class;
    }
    return false;
  }

  /**
   * Casts {@code value} to this key's type. A plain JSON value (a map, list, string, number or boolean, as read
   * back from an episode file without this key) is converted to the type with Jackson, and a {@code Boolean}
   * read through a {@code Double} key is 1 or 0; fails with a
   * {@link ClassCastException} naming the signal when it is neither of the type nor convertible to it.
   */
  @SuppressWarnings("unchecked")
  T cast(Object value) {
    if (SignalValues.fits(value, type, elementType)) {
      return (T) value;
    }
    if (value instanceof Boolean b && type == Double.class) {
      // a flag paid as a number (signal-reward on success): the one scalar widening besides number to number
      return (T) Double.valueOf(b ? 1 : 0);
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
    if (SignalValues.isPlainJson(value)) {
      try {
        return (T) SignalValues.convert(value, type, elementType);
      } catch (IllegalArgumentException e) {
        throw new ClassCastException("signal '" + name + "' holds " + SignalValues.describe(value)
            + ", which does not read as a " + typeName() + ": " + SignalValues.firstLine(e.getMessage()));
      }
    }
    throw new ClassCastException(
        "signal '" + name + "' holds a " + value.getClass().getSimpleName() + ", not a " + typeName());
  }

  /** The type as a reader would write it, e.g. {@code FeasibleRange} or {@code List<Hint>}. */
  String typeName() {
    return elementType == null ? type.getSimpleName() : type.getSimpleName() + "<" + elementType.getSimpleName() + ">";
  }
}
