package dev.ludus.api;

import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The configurations {@link PluginContext#simulator(PluginRef)} bound, per provider and plugin reference, so that a
 * run's episodes bind their user's configuration once rather than once each (binding goes through Jackson twice: the
 * defaults to a tree and the merged tree back to the record). A configuration is an immutable value and binding is a
 * function of the provider's defaults and the reference's fields, so one bound value serves every episode; a binding
 * that fails is not kept, and is tried (and fails with its message) again.
 *
 * <p>Design: providers are held weakly (a plugin's classes can be unloaded), by identity, so equal names in two
 * registries stay apart; within a provider, references are compared by value ({@link PluginRef#equals}: name and
 * configuration tree). At most {@link #PER_PROVIDER} references are kept per provider (then the map starts over), so
 * a caller that makes a new configuration per episode does not grow it without bound.
 *
 * <p>Thread-safe: event loops of a run create simulators concurrently.
 */
final class BoundConfigs {
  /** The most references kept per provider. */
  static final int PER_PROVIDER = 256;

  private static final Map<Plugin<?>, Map<PluginRef, Object>> BY_PROVIDER = new WeakHashMap<>();

  private BoundConfigs() {}

  /** {@code ref}'s configuration bound for {@code provider}: {@link ConfigBinder#bind}, once per distinct reference. */
  static <C> C bind(Plugin<C> provider, PluginRef ref) {
    Map<PluginRef, Object> bound;
    synchronized (BY_PROVIDER) {
      bound = BY_PROVIDER.computeIfAbsent(provider, p -> new ConcurrentHashMap<>());
    }
    Object config = bound.get(ref);
    if (config == null) {
      config = ConfigBinder.bind(provider, ref.config());
      if (config == null) {
        return null; // a provider whose defaults are null: nothing to keep
      }
      if (bound.size() >= PER_PROVIDER) {
        bound.clear();
      }
      Object raced = bound.putIfAbsent(ref, config);
      config = raced != null ? raced : config;
    }
    @SuppressWarnings("unchecked") // kept under this provider, bound to its configType
    C typed = (C) config;
    return typed;
  }
}
