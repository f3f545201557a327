package dev.ludus.runner.cli;

import dev.ludus.api.ConfigException;
import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The user's plugin jars: what {@code --plugins}, the {@code LUDUS_PLUGINS} environment variable and the
 * launcher's {@code plugins/} folder name, checked and turned into one class loader.
 *
 * <p>Design note: {@code ./ludus} runs {@code java -jar}, which ignores {@code CLASSPATH} and {@code -cp},
 * so plugins are loaded here rather than by the launcher: a {@link URLClassLoader} over the jars, whose
 * parent is Ludus's own loader, becomes the thread context class loader before anything looks plugins up
 * ({@link dev.ludus.api.Registry#load()} reads it; so do Micronaut and the Vert.x threads created after it).
 * It works the same for a user who runs the jar directly. Each entry is a jar or a directory; a directory
 * contributes its {@code *.jar} files and, as their unchecked dependencies, the jars in its {@code lib/}.
 * Every plugin jar must register at least one Ludus provider in {@code META-INF/services}: a jar that
 * registers none is almost always the wrong jar, and a silently missing plugin is what this class exists
 * to prevent. Stateless.
 */
final class PluginPath {
  /** The option's name. */
  static final String OPTION = "--plugins";
  /** The environment variable: jars or directories separated by the platform's path separator. */
  static final String ENV = "LUDUS_PLUGINS";
  /** The system property the launcher sets to its {@code plugins/} folder, which may be absent or empty. */
  static final String DIR_PROPERTY = "ludus.pluginsDir";

  private static final String SERVICES = "META-INF/services/dev.ludus.";

  private PluginPath() {}

  /** Where one entry came from, for error messages. */
  private record Entry(String value, String source, boolean optional) {}

  /**
   * The values of every {@code --plugins} option in {@code args} (before a {@code --}), in order.
   *
   * @throws ConfigException when the option has no value
   */
  static List<String> optionValues(String[] args) {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--")) {
        break;
      } else if (a.equals(OPTION)) {
        if (i + 1 >= args.length || args[i + 1].startsWith("-")) {
          throw new ConfigException(OPTION + " needs a value: a plugin jar or a directory of jars");
        }
        values.add(args[++i]);
      } else if (a.startsWith(OPTION + "=")) {
        values.add(a.substring(OPTION.length() + 1));
      }
    }
    return values;
  }

  /**
   * The plugin jars and their dependencies named by the option values, the environment variable's value
   * (or null) and the launcher's folder (or null), without duplicates, in that order.
   *
   * @throws ConfigException naming the first entry that is missing, not a jar, or a jar that registers no
   *     Ludus provider
   */
  static List<Path> jars(List<String> optionValues, String envValue, String launcherDir) {
    List<Entry> entries = new ArrayList<>();
    for (String v : optionValues) {
      if (v.isBlank()) {
        throw new ConfigException(OPTION + " needs a value: a plugin jar or a directory of jars");
      }
      split(v, OPTION, false, entries);
    }
    if (envValue != null && !envValue.isBlank()) {
      split(envValue, ENV, false, entries);
    }
    if (launcherDir != null && !launcherDir.isBlank()) {
      entries.add(new Entry(launcherDir, "the plugins folder", true));
    }
    Map<Path, Path> jars = new LinkedHashMap<>();
    for (Entry e : entries) {
      for (Path jar : expand(e)) {
        jars.putIfAbsent(canonical(jar), jar);
      }
    }
    return List.copyOf(jars.values());
  }

  private static void split(String value, String source, boolean optional, List<Entry> into) {
    for (String part : value.split(File.pathSeparator)) {
      if (!part.isBlank()) {
        into.add(new Entry(part.strip(), source, optional));
      }
    }
  }

  private static List<Path> expand(Entry e) {
    Path p = Path.of(e.value());
    if (Files.isDirectory(p)) {
      List<Path> plugins = jarsIn(p);
      if (plugins.isEmpty() && !e.optional()) {
        throw new ConfigException("plugin directory '" + e.value() + "' (from " + e.source()
            + ") holds no .jar files; give plugin jars or a directory that holds them");
      }
      for (Path jar : plugins) {
        checkPluginJar(jar, e.source());
      }
      List<Path> all = new ArrayList<>(plugins);
      Path lib = p.resolve("lib");
      if (Files.isDirectory(lib)) {
        for (Path dependency : jarsIn(lib)) {
          checkJar(dependency, e.source());
          all.add(dependency);
        }
      }
      return all;
    }
    if (!Files.exists(p)) {
      if (e.optional()) {
        return List.of();
      }
      throw new ConfigException("plugin path '" + e.value() + "' (from " + e.source()
          + ") does not exist; give plugin jars or directories of jars");
    }
    checkPluginJar(p, e.source());
    return List.of(p);
  }

  private static List<Path> jarsIn(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(".jar")).sorted()
          .toList();
    } catch (IOException ex) {
      throw new ConfigException("cannot read plugin directory '" + dir + "': " + ex.getMessage());
    }
  }

  /** A jar that opens and lists at least one {@code META-INF/services/dev.ludus.*} file. */
  private static void checkPluginJar(Path jar, String source) {
    if (!registersLudusProvider(jar, source)) {
      throw new ConfigException("plugin jar '" + jar + "' (from " + source + ") registers no Ludus plugin: it has "
          + "no META-INF/services/dev.ludus.api.* file; list your provider classes in, e.g., "
          + "META-INF/services/dev.ludus.api.EnvironmentProvider (a plugin's own dependencies go in a lib/ "
          + "folder beside it)");
    }
  }

  private static void checkJar(Path jar, String source) {
    registersLudusProvider(jar, source);
  }

  private static boolean registersLudusProvider(Path jar, String source) {
    try (JarFile file = new JarFile(jar.toFile())) {
      return file.stream().anyMatch(entry -> !entry.isDirectory() && entry.getName().startsWith(SERVICES));
    } catch (IOException ex) {
      throw new ConfigException("plugin '" + jar + "' (from " + source + ") is not a jar file ("
          + (ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage())
          + "); give plugin jars or directories of jars");
    }
  }

  private static Path canonical(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException ex) {
      return p.toAbsolutePath().normalize();
    }
  }

  /** A class loader over {@code jars} whose parent is {@code parent}; the caller closes it. */
  static URLClassLoader loader(List<Path> jars, ClassLoader parent) {
    URL[] urls = new URL[jars.size()];
    for (int i = 0; i < urls.length; i++) {
      try {
        urls[i] = jars.get(i).toUri().toURL();
      } catch (MalformedURLException ex) {
        throw new ConfigException("plugin path '" + jars.get(i) + "' is not a valid location: " + ex.getMessage());
      }
    }
    return new URLClassLoader("ludus-plugins", urls, parent);
  }
}
