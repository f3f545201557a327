package dev.ludus.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An immutable set of signal values keyed by {@link SignalKey}. Thread-safe.
 *
 * <p>In JSON a {@code Signals} is an object from signal name to value. Read back from JSON without the
 * environment's keys, values are plain JSON values (maps, lists, strings, numbers, booleans); {@link #get} still
 * returns the key's type, converting the plain value with Jackson, and {@link #typed} converts them once for
 * all. {@link dev.ludus.api.codec.EpisodeCodec#typed} reads episodes with their values already typed.
 */
public final class Signals {
  private static final Signals EMPTY = new Signals(new TreeMap<>());

  private final Map<String, Object> values;

  private Signals(TreeMap<String, Object> values) {
    this.values = Collections.unmodifiableMap(values);
  }

  public static Signals empty() {
    return EMPTY;
  }

  public static <T> Signals of(SignalKey<T> key, T value) {
    return builder().put(key, value).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The value for {@code key}, if this set holds one, as the key's type: a plain JSON value read back from a
   * file (a map for a record, a string for an enum, an integer for a {@code Long}) is converted to it.
   *
   * @throws ClassCastException naming the signal when the value is not of the key's type and does not convert
   *     to it (the key is another environment's, or its type changed since the file was written)
   */
  public <T> Optional<T> get(SignalKey<T> key) {
    Object v = values.get(key.name());
    return v == null ? Optional.empty() : Optional.of(key.cast(v));
  }

  /**
   * The value of the signal named {@code name} as stored, if present: the typed value an environment put, or a plain
   * JSON value read back from a file. For readers that hold no key (an episode file's inspector, a checker comparing
   * stored values); shapers read through their keys with {@link #get(SignalKey)}.
   */
  public java.util.Optional<Object> raw(String name) {
    return java.util.Optional.ofNullable(values.get(name));
  }

  public boolean has(SignalKey<?> key) {
    return values.containsKey(key.name());
  }

  /** Whether a signal of this name is present, whatever its type. */
  public boolean has(String name) {
    return values.containsKey(name);
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  /** The names present, sorted. */
  public java.util.Set<String> names() {
    return values.keySet();
  }

  /** This set with {@code key} set to {@code value} (other values kept). */
  public <T> Signals with(SignalKey<T> key, T value) {
    TreeMap<String, Object> copy = new TreeMap<>(values);
    copy.put(key.name(), Objects.requireNonNull(value, key.name()));
    return new Signals(copy);
  }

  /**
   * This set with the value of every signal that {@code keys} names converted to that key's type (as
   * {@link #get} would return it); values no key names are kept as they are. Give at most one key per name.
   * Returns this set when nothing needed converting.
   *
   * @throws ClassCastException naming the signal whose value does not convert to its key's type
   */
  public Signals typed(Collection<? extends SignalKey<?>> keys) {
    TreeMap<String, Object> copy = null;
    for (SignalKey<?> key : keys) {
      Object v = values.get(key.name());
      if (v == null) {
        continue;
      }
      Object typed = key.cast(v);
      if (typed != v) {
        if (copy == null) {
          copy = new TreeMap<>(values);
        }
        copy.put(key.name(), typed);
      }
    }
    return copy == null ? this : new Signals(copy);
  }

  /** The values as JSON sees them: name to value, sorted by name. */
  @JsonValue
  public Map<String, Object> asMap() {
    return values;
  }

  @JsonCreator
  static Signals fromJson(Map<String, Object> json) {
    return json == null || json.isEmpty() ? EMPTY : new Signals(new TreeMap<>(json));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Signals s && values.equals(s.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return values.toString();
  }

  /** Builds a {@link Signals}; not thread-safe. */
  public static final class Builder {
    private TreeMap<String, Object> values = new TreeMap<>();
    private boolean shared;

    private Builder() {}

    public <T> Builder put(SignalKey<T> key, T value) {
      writable().put(key.name(), Objects.requireNonNull(value, key.name()));
      return this;
    }

    public Builder putAll(Signals other) {
      writable().putAll(other.values);
      return this;
    }

    /** The signals put so far; the builder may go on (it copies on its next write, not now). */
    public Signals build() {
      if (values.isEmpty()) {
        return EMPTY;
      }
      shared = true;
      return new Signals(values);
    }

    private TreeMap<String, Object> writable() {
      if (shared) {
        values = new TreeMap<>(values);
        shared = false;
      }
      return values;
    }
  }
}
