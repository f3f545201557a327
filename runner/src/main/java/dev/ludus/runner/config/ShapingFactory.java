package dev.ludus.runner.config;

import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.CombinerProvider;
import dev.ludus.api.ConfigException;
import dev.ludus.api.PluginContext;
import dev.ludus.api.Registry;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.ShaperProvider;
import dev.ludus.api.SignalKey;
import dev.ludus.api.TransformProvider;
import dev.ludus.runner.config.PluginConfigs;
import dev.ludus.shaping.ShapingPipeline;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Turns a {@link ShapingSpec} into a {@link ShapingPipeline} for one environment, checking everything
 * before the run starts: names, configuration fields, weights, the signals each shaper reads, and the
 * components each transform names. Every failure is a {@link ConfigException} naming the shaper, the field
 * and what is allowed. Shapers, the combiner and the transforms are created with the environment's
 * {@link BoundEnvironment#context() plugin context}: the run's, once the runtime bound it.
 */
public final class ShapingFactory {
  /** What an alias may look like: it is a ledger source and a component prefix, so no '/'. */
  private static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private ShapingFactory() {}

  public static ShapingPipeline build(Registry registry, ShapingSpec spec, BoundEnvironment env) {
    PluginContext context = env.context();
    if (spec.shapers().isEmpty()) {
      throw new ConfigException("shaping: 'shapers' must list at least one shaper (e.g. '- name: outcome'); known "
          + "shapers: " + String.join(", ", registry.shapers().names()));
    }
    ShapingPipeline.Builder b = ShapingPipeline.builder();
    Map<String, SignalKey<?>> published = new TreeMap<>();
    env.signals().forEach(k -> published.put(k.name(), k));
    Set<String> shaperNames = new LinkedHashSet<>();
    List<ShapingSpec.Shaper> shapers = spec.shapers();
    for (int i = 0; i < shapers.size(); i++) {
      ShapingSpec.Shaper s = shapers.get(i);
      String where = "shaping: shapers[" + i + "]";
      if (s.name() == null) {
        throw new ConfigException(where + " has no name; known shapers: " + String.join(", ", registry.shapers().names()));
      }
      ShaperProvider<?> provider = lookup(() -> registry.shapers().get(s.name()), where);
      double weight = s.weightOrDefault();
      if (!Double.isFinite(weight)) {
        throw new ConfigException(where + " (" + s.name() + "): weight must be a finite number, was " + weight);
      }
      if (s.as() != null && !ALIAS.matcher(s.as()).matches()) {
        throw new ConfigException(where + " (" + s.name() + "): alias 'as: " + s.as() + "' is not allowed; an alias "
            + "is a name like judge-a (letters, digits, '-', '_', '.'; no '/')");
      }
      if (!shaperNames.add(s.id())) {
        throw new ConfigException(where + " (" + s.name() + "): the name '" + s.id() + "' is taken by an earlier "
            + "shaper of this run (the ledger could not tell them apart); to list a shaper twice give each entry its "
            + "own alias, e.g. {name: " + s.name() + ", as: " + s.name() + "-b}; names so far: "
            + String.join(", ", shaperNames));
      }
      Object config = lookup(() -> PluginConfigs.bind(provider, s.config()), where);
      RewardShaper shaper = lookup(() -> create(provider, config, context), where + " (" + s.name() + ")");
      for (SignalKey<?> signal : shaper.requiredSignals()) {
        SignalKey<?> offered = published.get(signal.name());
        if (offered == null) {
          throw new ConfigException("shaping: shaper '" + s.name() + "' reads signal '" + signal.name() + "', which "
              + "environment '" + env.name() + "' does not publish; it publishes: "
              + (published.isEmpty() ? "(none)" : String.join(", ", published.keySet())));
        }
        if (!signal.reads(offered)) {
          throw new ConfigException("shaping: shaper '" + s.name() + "' reads signal '" + signal.name() + "' as a "
              + typeName(signal) + ", but environment '" + env.name() + "' publishes it as a " + typeName(offered)
              + "; give the shaper a signal of a type it reads");
        }
      }
      b.shaper(s.id(), shaper, weight);
    }
    if (spec.timeoutMillis() != null && spec.timeoutMillis() < 1) {
      throw new ConfigException("shaping: timeoutMillis must be at least 1, was " + spec.timeoutMillis());
    }
    b.timeout(Duration.ofMillis(spec.timeoutMillisOrDefault()));
    String combinerWhere = "shaping: combiner";
    CombinerProvider<?> combiner = lookup(() -> registry.combiners().get(spec.combiner().name()), combinerWhere);
    Object combinerConfig = lookup(() -> PluginConfigs.bind(combiner, spec.combiner().config()), combinerWhere);
    b.combiner(combiner.name(), lookup(() -> createCombiner(combiner, combinerConfig, context), combinerWhere));
    List<ShapingSpec.Transform> transforms = spec.transforms();
    for (int i = 0; i < transforms.size(); i++) {
      ShapingSpec.Transform t = transforms.get(i);
      String where = "shaping: transforms[" + i + "]";
      TransformProvider<?> provider = lookup(() -> registry.transforms().get(t.name()), where);
      for (String c : t.components()) {
        String shaperOf = c.contains("/") ? c.substring(0, c.indexOf('/')) : c;
        if (!shaperNames.contains(shaperOf)) {
          throw new ConfigException(where + " (" + t.name() + "): component '" + c + "' is not a shaper of this run; "
              + "shapers: " + String.join(", ", shaperNames));
        }
      }
      Object transformConfig = lookup(() -> PluginConfigs.bind(provider, t.config()), where);
      b.transform(t.name(),
          lookup(() -> createTransform(provider, transformConfig, context), where + " (" + t.name() + ")"),
          Set.copyOf(t.components()));
    }
    return b.build();
  }

  /** A key's type as a reader writes it: {@code Double}, {@code List<String>}. */
  private static String typeName(SignalKey<?> key) {
    return key.elementType() == null ? key.type().getSimpleName()
        : key.type().getSimpleName() + "<" + key.elementType().getSimpleName() + ">";
  }

  private interface Step<T> {
    T get();
  }

  /** Runs a lookup or binding, prefixing its message with where in the spec it happened. */
  private static <T> T lookup(Step<T> step, String where) {
    try {
      return step.get();
    } catch (ConfigException e) {
      throw new ConfigException(where + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(where + ": " + e.getMessage());
    }
  }

  @SuppressWarnings("unchecked")
  private static <C> RewardShaper create(ShaperProvider<C> p, Object config, PluginContext context) {
    return p.create((C) config, context);
  }

  @SuppressWarnings("unchecked")
  private static <C> dev.ludus.api.RewardCombiner createCombiner(CombinerProvider<C> p, Object config,
      PluginContext context) {
    return p.create((C) config, context);
  }

  @SuppressWarnings("unchecked")
  private static <C> dev.ludus.api.RewardTransform createTransform(TransformProvider<C> p, Object config,
      PluginContext context) {
    return p.create((C) config, context);
  }
}
