package dev.ludus.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The plugins of one kind, by name. Immutable and thread-safe.
 *
 * @param <P> the provider type
 */
public final class Catalog<P extends Plugin<?>> {
  private static final Pattern KEBAB = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

  private final String kind;
  private final Map<String, P> byName;

  Catalog(String kind, Iterable<? extends P> providers) {
    this.kind = kind;
    TreeMap<String, P> map = new TreeMap<>();
    for (P p : providers) {
      String name = p.name();
      if (name == null || !KEBAB.matcher(name).matches()) {
        throw new ConfigException(kind + " " + p.getClass().getName() + " has name '" + name
            + "', which is not kebab-case (e.g. 'guess-number')");
      }
      P previous = map.put(name, p);
      if (previous != null && previous.getClass() != p.getClass()) {
        throw new ConfigException("two " + kind + "s are registered as '" + name + "': "
            + previous.getClass().getName() + " and " + p.getClass().getName());
      }
    }
    this.byName = Collections.unmodifiableMap(map);
  }

  /**
   * A catalog of {@code providers} (e.g. loaded with {@link java.util.ServiceLoader}) for a kind of plugin that
   * lives outside this module, such as the runner's advantage estimators; the same checks as the registry's.
   */
  public static <P extends Plugin<?>> Catalog<P> of(String kind, Iterable<? extends P> providers) {
    return new Catalog<>(kind, providers);
  }

  /** What this catalog holds, e.g. {@code environment}. */
  public String kind() {
    return kind;
  }

  /** The plugin named {@code name}; fails naming it and listing the known names. */
  public P get(String name) {
    P p = byName.get(name);
    if (p == null) {
      throw new ConfigException("unknown " + kind + " '" + name + "'; known " + kind + "s: "
          + (byName.isEmpty() ? "(none)" : String.join(", ", byName.keySet())));
    }
    return p;
  }

  public boolean contains(String name) {
    return byName.containsKey(name);
  }

  /** The registered names, sorted. */
  public Set<String> names() {
    return byName.keySet();
  }

  /** The plugins, sorted by name. */
  public List<P> all() {
    return new ArrayList<>(byName.values());
  }
}
