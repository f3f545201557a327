package dev.ludus.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Episode;
import dev.ludus.api.LedgerEntry;
import dev.ludus.runner.store.EpisodeReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/plugin as a user runs it: the jar that the invoker built against this build's installed
 * artifacts (runner/target/local-repo), loaded by the {@code ./ludus} launcher, which runs {@code java -jar}
 * on the runner jar this build packaged ({@code LUDUS_NO_BUILD=1}: it is fresh, and a test must not start a
 * build of its own).
 */
class ExamplePluginIT {
  private static Path root;
  private static Path jar;

  record Run(int code, String out, String err) {}

  @BeforeAll
  static void locate() {
    root = Path.of(System.getProperty("ludus.root", "..")).toAbsolutePath().normalize();
    jar = Path.of(System.getProperty("ludus.examplePluginJar",
        "target/examples/plugin/target/mastermind-plugin-1.0.0.jar")).toAbsolutePath();
    assertTrue(Files.isRegularFile(jar), "the invoker builds examples/plugin first: " + jar);
  }

  private static Run ludus(Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", root.resolve("ludus").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile());
    pb.environment().remove("LUDUS_PLUGINS");
    pb.environment().put("LUDUS_NO_BUILD", "1");
    pb.environment().put("LUDUS_JAVA_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"); // short runs start faster
    pb.environment().putAll(env);
    Path out = Files.createTempFile("ludus-it", ".out");
    Path err = Files.createTempFile("ludus-it", ".err");
    try {
      Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "ludus " + String.join(" ", args) + " did not finish");
      return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static Run ludus(String... args) throws IOException, InterruptedException {
    return ludus(Map.of(), args);
  }

  @Test
  void listShowsThePluginsEnvironmentNextToTheBuiltInOnes() throws Exception {
    Run r = ludus("--plugins", jar.toString(), "list", "envs");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("mastermind ")), r.out());
    assertTrue(r.out().contains("guess-number"), r.out());
  }

  @Test
  void theEnvironmentVariableLoadsThePluginsShaper() throws Exception {
    Run r = ludus(Map.of("LUDUS_PLUGINS", jar.toString()), "list", "shapers");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("elimination ")), r.out());
    assertTrue(r.out().contains("info-gain"), r.out());
  }

  @Test
  void checkEnvPassesOnThePluginsEnvironment() throws Exception {
    Run r = ludus("--plugins", jar.toString(), "check-env", "mastermind");
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("mastermind: all checks passed"), r.out());
  }

  @Test
  void theOracleRollsOutWithThePluginsShaperInTheLedger(@TempDir Path out) throws Exception {
    List<Episode> episodes = rollout("oracle", out);
    assertEquals(24, episodes.size());
    for (Episode e : episodes) {
      assertTrue(e.success(), e.id() + " " + e.failure());
      assertTrue(e.turns().size() <= 5, "Knuth's strategy needs at most 5 guesses: " + e.turns().size());
      double elimination = e.ledger().stream().filter(l -> l.source().equals("elimination"))
          .mapToDouble(LedgerEntry::value).sum();
      assertEquals(0.5 * 63 / 64, elimination, 1e-9, "weight 0.5 times the 63 of 64 codes ruled out");
    }
  }

  @Test
  void theRandomAgentRollsOutToo(@TempDir Path out) throws Exception {
    List<Episode> episodes = rollout("random", out);
    assertEquals(24, episodes.size());
    assertTrue(episodes.stream().anyMatch(e -> !e.success()), "a random guesser loses some games");
    for (Episode e : episodes) {
      assertEquals(e.turns().size(), e.ledger().stream().filter(l -> l.source().equals("elimination")).count(),
          "one elimination entry per turn in " + e.id());
    }
  }

  private List<Episode> rollout(String agent, Path out) throws Exception {
    Run r = ludus("--plugins", jar.toString(), "rollout", "--env", "mastermind", "--agent", agent,
        "--episodes", "24", "--concurrency", "8", "--group-size", "4", "--seed", "3",
        "--shaping", root.resolve("examples/plugin/shaping.yaml").toString(), "--out", out.toString(),
        "--no-progress");
    assertEquals(0, r.code(), r.out() + r.err());
    try (Stream<Path> files = Files.walk(out)) {
      Path store = files.filter(f -> f.getFileName().toString().equals("episodes.jsonl")).findFirst()
          .orElseThrow(() -> new AssertionError("no episodes.jsonl under " + out + "\n" + r.out()));
      List<Episode> episodes = EpisodeReader.readAll(store);
      assertFalse(episodes.isEmpty());
      return episodes;
    }
  }
}
