package dev.ludus.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Episode;
import dev.ludus.runner.store.EpisodeReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/minilm-encoder through the launcher: search-qa with hybrid retrieval over all-MiniLM-L6-v2. The build
 * does not make that jar (the model and ONNX Runtime are about 200 MB and slow to load; see the README's Search
 * QA section for the command), so these tests are skipped unless it was built at
 * {@code examples/minilm-encoder/target/minilm-encoder-1.0.0.jar} (or {@code -Dludus.minilmJar=...}).
 */
class MiniLmEncoderIT {
  private static Path root;
  private static Path jar;

  record Run(int code, String out, String err) {}

  @BeforeAll
  static void locate() {
    root = Path.of(System.getProperty("ludus.root", "..")).toAbsolutePath().normalize();
    jar = Path.of(System.getProperty("ludus.minilmJar",
        root.resolve("examples/minilm-encoder/target/minilm-encoder-1.0.0.jar").toString())).toAbsolutePath();
    Assumptions.assumeTrue(Files.isRegularFile(jar), "examples/minilm-encoder is not built: " + jar);
  }

  private static Run ludus(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", root.resolve("ludus").toString(), "--plugins",
        jar.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile());
    pb.environment().remove("LUDUS_PLUGINS");
    pb.environment().put("LUDUS_NO_BUILD", "1");
    Path out = Files.createTempFile("ludus-it", ".out");
    Path err = Files.createTempFile("ludus-it", ".err");
    try {
      Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      assertTrue(p.waitFor(600, TimeUnit.SECONDS), "ludus " + String.join(" ", args) + " did not finish");
      return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  @Test
  void theOracleRollsOutWithHybridRetrievalOverMiniLm(@TempDir Path out) throws Exception {
    Run r = ludus("rollout", "--env", "search-qa", "--env-config", "{retrieval: hybrid, encoder: all-minilm-l6-v2}",
        "--agent", "oracle", "--episodes", "8", "--out", out.toString(), "--no-progress");
    assertEquals(0, r.code(), r.out() + r.err());
    try (Stream<Path> files = Files.walk(out)) {
      Path store = files.filter(f -> f.getFileName().toString().equals("episodes.jsonl")).findFirst().orElseThrow();
      List<Episode> episodes = EpisodeReader.readAll(store);
      assertEquals(8, episodes.size());
      assertTrue(episodes.stream().allMatch(Episode::success), r.out());
    }
  }

  @Test
  void anUnknownEncoderNamesThePluginsEncoders() throws Exception {
    Run r = ludus("rollout", "--env", "search-qa", "--env-config", "{retrieval: dense, encoder: minilm}",
        "--agent", "oracle", "--episodes", "1", "--no-progress");
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("known encoders: all-minilm-l6-v2, all-minilm-l6-v2-q"), r.err());
  }
}
