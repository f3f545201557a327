package dev.ludus.runner.cli;

import dev.ludus.runner.cli.CliRun.Outcome;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --plugins}, {@code LUDUS_PLUGINS} and the launcher's plugins folder: a user's jar, never on Ludus's
 * class path, becomes visible to every command; a path that is not a plugin jar is one line and exit 2.
 */
class PluginsOptionTest {
  private static final String SHAPER = """
      package acme;

      import dev.ludus.api.*;
      import java.util.*;

      public final class Bonus implements ShaperProvider<NoConfig> {
        public String name() { return "acme-bonus"; }
        public String description() { return "a shaper from its own jar"; }
        public Class<NoConfig> configType() { return NoConfig.class; }
        public NoConfig defaultConfig() { return NoConfig.INSTANCE; }
        public RewardShaper create(NoConfig c) {
          return new RewardShaper() {
            public Scope scope() { return Scope.TURN; }
            public List<RewardContribution> shape(Episode e) { return List.of(); }
          };
        }
      }
      """;

  @TempDir static Path shared;
  private static Path pluginJar;


  @BeforeAll
  static void buildPluginJar() throws IOException {
    Path src = shared.resolve("src/acme/Bonus.java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, SHAPER);
    Path classes = Files.createDirectories(shared.resolve("classes"));
    int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), "-cp",
        System.getProperty("java.class.path"), "--release", "17", src.toString());
    assertEquals(0, rc, "javac");
    pluginJar = jar(shared.resolve("acme-bonus.jar"), Map.of(
        "META-INF/services/dev.ludus.api.ShaperProvider", "acme.Bonus\n".getBytes(StandardCharsets.UTF_8),
        "acme/Bonus.class", Files.readAllBytes(classes.resolve("acme/Bonus.class")),
        "acme/Bonus$1.class", Files.readAllBytes(classes.resolve("acme/Bonus$1.class"))));
  }

  private static Path jar(Path file, Map<String, byte[]> entries) throws IOException {
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(file))) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        out.putNextEntry(new JarEntry(e.getKey()));
        out.write(e.getValue());
        out.closeEntry();
      }
    }
    return file;
  }

  private static Outcome ludus(String env, String dir, String... args) {
    return CliRun.main(env, dir, args);
  }

  private static void assertOneLineExit2(Outcome o, String... fragments) {
    assertEquals(2, o.code(), o.out() + o.err());
    assertEquals(1, o.err().strip().lines().count(), o.err());
    for (String f : fragments) {
      assertTrue(o.err().contains(f), "'" + f + "' in: " + o.err());
    }
  }

  @Test
  void withoutPluginsTheJarsShaperIsUnknownAndTheErrorListsTheKnownOnes() {
    Outcome o = ludus(null, null, "shapers", "explain", "acme-bonus");
    assertEquals(2, o.code());
    assertTrue(o.err().contains("unknown shaper, transform or combiner 'acme-bonus'; shapers: ")
        && o.err().contains("outcome"), o.err());
  }

  @Test
  void thePluginsOptionBeforeTheCommandLoadsTheJarForThatRunOnly() {
    ClassLoader before = Thread.currentThread().getContextClassLoader();
    Outcome o = ludus(null, null, "--plugins", pluginJar.toString(), "list", "shapers");
    assertEquals(0, o.code(), o.err());
    assertTrue(o.out().lines().anyMatch(l -> l.startsWith("acme-bonus ")), o.out());
    assertTrue(o.out().contains("outcome"), "the built-in shapers stay: " + o.out());
    assertSame(before, Thread.currentThread().getContextClassLoader(), "the context class loader is restored");
  }

  @Test
  void thePluginsOptionAfterTheCommandAndWithEqualsSignWorksToo() {
    Outcome o = ludus(null, null, "shapers", "explain", "acme-bonus", "--plugins=" + pluginJar);
    assertEquals(0, o.code(), o.err());
    assertTrue(o.out().contains("acme-bonus"), o.out());
  }

  @Test
  void theEnvironmentVariableLoadsTheJar() {
    Outcome o = ludus(pluginJar.toString(), null, "list", "shapers");
    assertEquals(0, o.code(), o.err());
    assertTrue(o.out().contains("acme-bonus"), o.out());
  }

  @Test
  void directoriesContributeTheirJarsAndOneJarNamedTwiceCountsOnce(@TempDir Path folder) throws IOException {
    Path copy = Files.copy(pluginJar, folder.resolve("acme-bonus.jar"));
    Files.writeString(folder.resolve("README.md"), "not a jar, ignored in a folder");
    assertEquals(List.of(copy), PluginPath.jars(List.of(), null, folder.toString()), "the launcher's folder");
    assertEquals(List.of(copy, pluginJar),
        PluginPath.jars(List.of(folder + File.pathSeparator + pluginJar), pluginJar.toString(), folder.toString()),
        "path-separated, from the option, the variable and the folder, without duplicates");
  }

  @Test
  void aMissingOrEmptyLauncherFolderIsFine(@TempDir Path folder) {
    assertEquals(List.of(), PluginPath.jars(List.of(), null, folder.resolve("plugins").toString()));
    assertEquals(List.of(), PluginPath.jars(List.of(), null, folder.toString()));
  }

  @Test
  void aMissingPathIsOneLineNamingItAndExitCode2(@TempDir Path dir) {
    Path missing = dir.resolve("no-such.jar");
    assertOneLineExit2(ludus(null, null, "--plugins", missing.toString(), "list", "envs"),
        "ludus: plugin path '" + missing + "' (from --plugins) does not exist");
    assertOneLineExit2(ludus(pluginJar + File.pathSeparator + missing, null, "list", "envs"),
        "'" + missing + "' (from LUDUS_PLUGINS) does not exist");
  }

  @Test
  void aFileThatIsNotAJarIsOneLineNamingIt(@TempDir Path dir) throws IOException {
    Path text = Files.writeString(dir.resolve("notes.jar"), "not a zip");
    assertOneLineExit2(ludus(null, null, "--plugins", text.toString(), "list", "envs"),
        "plugin '" + text + "' (from --plugins) is not a jar file");
  }

  @Test
  void aJarThatRegistersNoPluginIsOneLineNamingIt(@TempDir Path dir) throws IOException {
    Path empty = jar(dir.resolve("empty.jar"), Map.of("acme/readme.txt", new byte[] {1}));
    assertOneLineExit2(ludus(null, null, "--plugins", empty.toString(), "list", "envs"),
        "plugin jar '" + empty + "' (from --plugins) registers no Ludus plugin",
        "META-INF/services/dev.ludus.api.EnvironmentProvider");
  }

  @Test
  void aDirectoryWithoutJarsGivenExplicitlyIsAnError(@TempDir Path dir) {
    assertOneLineExit2(ludus(null, null, "--plugins", dir.toString(), "list", "envs"),
        "plugin directory '" + dir + "' (from --plugins) holds no .jar files");
  }

  @Test
  void theOptionWithoutAValueIsAnError() {
    assertOneLineExit2(ludus(null, null, "--plugins"), "--plugins needs a value");
    assertOneLineExit2(ludus(null, null, "--plugins", "--help"), "--plugins needs a value");
  }

  @Test
  void aServicesFileNamingAMissingClassIsOneLineExit2(@TempDir Path dir) throws IOException {
    Path broken = jar(dir.resolve("broken.jar"), Map.of("META-INF/services/dev.ludus.api.ShaperProvider",
        "acme.Missing\n".getBytes(StandardCharsets.UTF_8)));
    assertOneLineExit2(ludus(null, null, "--plugins", broken.toString(), "list", "shapers"),
        "does not load", "acme.Missing");
  }

  @Test
  void dependenciesInALibFolderAreLoadedWithoutTheServicesCheck(@TempDir Path dir) throws IOException {
    Files.copy(pluginJar, dir.resolve("acme-bonus.jar"));
    Files.createDirectories(dir.resolve("lib"));
    jar(dir.resolve("lib/some-library.jar"), Map.of("lib/data.txt", new byte[] {1}));
    assertEquals(List.of(dir.resolve("acme-bonus.jar"), dir.resolve("lib/some-library.jar")),
        PluginPath.jars(List.of(dir.toString()), null, null));
  }

  @Test
  void helpShowsTheOption() {
    Outcome o = ludus(null, null, "--help");
    assertEquals(0, o.code());
    assertTrue(o.out().contains("--plugins=JAR-or-DIR"), o.out());
    assertTrue(o.out().contains("LUDUS_PLUGINS"), o.out());
  }
}
