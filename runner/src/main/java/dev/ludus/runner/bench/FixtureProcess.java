package dev.ludus.runner.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs a class of {@code agents}' test fixtures (the mock OpenAI-compatible server, the openai throughput benchmark)
 * in a JVM of its own. Test doubles stay out of main code: in tests they are on the class path (the {@code agents}
 * test-jar), and for the {@code ./ludus} launcher the runner's build copies that jar to {@code fixtures/} beside the
 * runner jar, outside the jar's own class path. Stateless and thread-safe.
 */
public final class FixtureProcess {
  /** The mock server's main class. */
  public static final String MOCK_SERVER = "dev.ludus.agents.openai.mock.MockOpenAiServer";

  /** The openai backend's throughput benchmark's main class. */
  public static final String OPENAI_BENCHMARK = "dev.ludus.agents.openai.OpenAiThroughputBenchmark";

  private FixtureProcess() {}

  /**
   * Starts {@code mainClass} with {@code args} in a new JVM (this JVM's {@code java}, its class path plus the
   * fixtures), its standard error going to this process's. The caller owns the process.
   *
   * @throws IllegalStateException when the fixtures are neither on the class path nor beside the runner jar
   */
  public static Process start(String mainClass, List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(classPath(mainClass));
    command.add(mainClass);
    command.addAll(args);
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  /** This JVM's class path, with the fixtures jars appended unless {@code mainClass} is already on it. */
  static String classPath(String mainClass) {
    String own = System.getProperty("java.class.path");
    try {
      Class.forName(mainClass, false, FixtureProcess.class.getClassLoader());
      return own;
    } catch (ClassNotFoundException e) {
      List<String> jars = fixtureJars();
      if (jars.isEmpty()) {
        throw new IllegalStateException(mainClass + " (agents' test fixtures) is neither on the class path nor in "
            + fixturesDir().map(Path::toString).orElse("a fixtures/ folder beside the runner jar")
            + "; build the runner with: mvn -B -ntp -DskipTests package -pl runner -am");
      }
      return own + File.pathSeparator + String.join(File.pathSeparator, jars);
    }
  }

  private static List<String> fixtureJars() {
    return fixturesDir().filter(Files::isDirectory).map(dir -> {
      try (Stream<Path> files = Files.list(dir)) {
        return files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().map(Path::toString).toList();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + dir, e);
      }
    }).orElse(List.of());
  }

  /** {@code fixtures/} beside the jar (or classes folder) this class was loaded from. */
  private static java.util.Optional<Path> fixturesDir() {
    try {
      var source = FixtureProcess.class.getProtectionDomain().getCodeSource();
      if (source == null) {
        return java.util.Optional.empty();
      }
      Path location = Path.of(source.getLocation().toURI());
      return java.util.Optional.ofNullable(location.getParent()).map(p -> p.resolve("fixtures"));
    } catch (URISyntaxException | RuntimeException e) {
      return java.util.Optional.empty();
    }
  }
}
