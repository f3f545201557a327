package dev.ludus.runner.plugin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds a user's plugin the way a user would: Java source compiled against Ludus's API into a jar of its
 * own with a {@code META-INF/services} entry, loaded through its own class loader, never on Ludus's class
 * path.
 */
public final class PluginJars {
  private PluginJars() {}

  /**
   * Compiles {@code source} (class {@code className}) into a jar under {@code dir} that registers it as a
   * {@code serviceInterface}, and returns a class loader over that jar whose parent is Ludus's.
   */
  public static URLClassLoader jar(Path dir, String className, String source, String serviceInterface) {
    try {
      Path src = dir.resolve("src").resolve(className.replace('.', '/') + ".java");
      Files.createDirectories(src.getParent());
      Files.writeString(src, source);
      Path classes = Files.createDirectories(dir.resolve("classes"));
      JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
      int rc = javac.run(null, null, null, "-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
          "--release", "17", src.toString());
      if (rc != 0) {
        throw new IllegalStateException("javac failed for " + className);
      }
      Path jar = dir.resolve("plugin.jar");
      try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
        out.putNextEntry(new JarEntry("META-INF/services/" + serviceInterface));
        out.write((className + "\n").getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
        try (var files = Files.walk(classes)) {
          for (Path f : files.filter(Files::isRegularFile).toList()) {
            out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
            out.write(Files.readAllBytes(f));
            out.closeEntry();
          }
        }
      }
      return new URLClassLoader(new URL[] {jar.toUri().toURL()}, PluginJars.class.getClassLoader());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A shaper provider's source: name {@code name}, one component per turn of constant value, reading the numeric signals named {@code signals}. */
  public static String shaperSource(String pkg, String simpleName, String name, double value, List<String> signals) {
    String required = signals.isEmpty() ? "java.util.Set.of()"
        : "java.util.Set.of(" + signals.stream().map(n -> "SignalKey.of(\"" + n + "\", Double.class)")
            .collect(java.util.stream.Collectors.joining(", ")) + ")";
    return """
        package %s;

        import dev.ludus.api.*;
        import java.util.*;

        public final class %s implements ShaperProvider<NoConfig> {
          public String name() { return "%s"; }
          public String description() { return "a plugin from its own jar"; }
          public Class<NoConfig> configType() { return NoConfig.class; }
          public NoConfig defaultConfig() { return NoConfig.INSTANCE; }
          public RewardShaper create(NoConfig c) {
            return new RewardShaper() {
              public Scope scope() { return Scope.TURN; }
              public Set<SignalKey<?>> requiredSignals() { return %s; }
              public List<RewardContribution> shape(Episode e) {
                List<RewardContribution> out = new ArrayList<>();
                for (Turn t : e.turns()) out.add(new RewardContribution(t.index(), "bonus", %s));
                return out;
              }
            };
          }
        }
        """.formatted(pkg, simpleName, name, required, Double.toString(value));
  }
}
