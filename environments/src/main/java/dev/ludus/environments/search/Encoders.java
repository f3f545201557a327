package dev.ludus.environments.search;

import dev.ludus.api.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The {@link PassageEncoder}s registered on the class path (Ludus's and its plugins'). Stateless. */
final class Encoders {
  private Encoders() {}

  /** A new instance of each registered encoder, sorted by name. */
  static List<PassageEncoder> all() {
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    TreeMap<String, PassageEncoder> byName = new TreeMap<>();
    for (PassageEncoder e : ServiceLoader.load(PassageEncoder.class, cl != null ? cl : Encoders.class.getClassLoader())) {
      byName.putIfAbsent(e.name(), e);
    }
    return new ArrayList<>(byName.values());
  }

  /**
   * A new instance of the encoder registered as {@code name}; the caller closes it.
   *
   * @throws ConfigException naming the unknown encoder and the known ones
   */
  static PassageEncoder named(String name) {
    List<PassageEncoder> all = all();
    PassageEncoder found = null;
    for (PassageEncoder e : all) {
      if (e.name().equals(name)) {
        found = e;
      } else {
        e.close();
      }
    }
    if (found == null) {
      List<String> known = all.stream().map(PassageEncoder::name).toList();
      throw new ConfigException("search-qa: unknown encoder '" + name + "'; known encoders: "
          + (known.isEmpty() ? "none (add a plugin that registers one, e.g. examples/minilm-encoder's "
              + "all-minilm-l6-v2, with ./ludus --plugins)" : String.join(", ", known)));
    }
    return found;
  }
}
