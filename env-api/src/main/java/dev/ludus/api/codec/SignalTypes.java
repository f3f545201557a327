package dev.ludus.api.codec;

import dev.ludus.api.Registry;
import dev.ludus.api.SignalKey;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Where a codec finds the signal keys that type an episode's signal values. Thread-safe. */
interface SignalTypes {
  /**
   * The keys for an episode of environment {@code env}, or, for {@code env == null}, the keys that apply to a
   * part read on its own; empty when there are none (the values then stay plain JSON values).
   */
  Collection<SignalKey<?>> keys(String env);

  /** This source narrowed to one environment's keys (what {@link EpisodeCodec#forEnv} returns). */
  SignalTypes forEnv(String env);

  SignalTypes NONE = new SignalTypes() {
    @Override
    public Collection<SignalKey<?>> keys(String env) {
      return List.of();
    }

    @Override
    public SignalTypes forEnv(String env) {
      return this;
    }

    @Override
    public String toString() {
      return "plain";
    }
  };

  /** The same keys for every episode; fails naming a signal given twice with different types. */
  static SignalTypes fixed(Collection<? extends SignalKey<?>> keys) {
    Map<String, SignalKey<?>> byName = new HashMap<>();
    for (SignalKey<?> k : keys) {
      SignalKey<?> other = byName.put(k.name(), k);
      if (other != null && !other.equals(k)) {
        throw new IllegalArgumentException("signal '" + k.name() + "' is given twice with different types ("
            + other.type().getSimpleName() + " and " + k.type().getSimpleName() + "); give one key per name, or "
            + "type by the episode's environment (EpisodeCodec.typed(registry))");
      }
    }
    List<SignalKey<?>> list = List.copyOf(byName.values());
    return new SignalTypes() {
      @Override
      public Collection<SignalKey<?>> keys(String env) {
        return list;
      }

      @Override
      public SignalTypes forEnv(String env) {
        return this;
      }

      @Override
      public String toString() {
        return "typed by " + list.size() + " keys";
      }
    };
  }

  /**
   * The keys its environment declares ({@code EnvironmentProvider.signals()}), looked up in {@code registry} by
   * the episode's {@code env}; none for an environment the registry does not hold, or for a part read alone.
   */
  static SignalTypes of(Registry registry) {
    Map<String, List<SignalKey<?>>> cache = new ConcurrentHashMap<>();
    return new SignalTypes() {
      @Override
      public Collection<SignalKey<?>> keys(String env) {
        if (env == null || !registry.environments().contains(env)) {
          return List.of();
        }
        return cache.computeIfAbsent(env, e -> List.copyOf(registry.environments().get(e).signals()));
      }

      @Override
      public SignalTypes forEnv(String env) {
        return fixed(registry.environments().get(env).signals());
      }

      @Override
      public String toString() {
        return "typed by the registry's environments";
      }
    };
  }
}
