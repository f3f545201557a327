package dev.ludus.runner.cli;

import dev.ludus.runner.cli.CliRun.Outcome;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@MicronautTest
class DataCommandTest {
  @Inject ApplicationContext context;


  private Outcome ludus(String... args) {
    return CliRun.in(context, args);
  }

  @Test
  void generateWritesTheEnvironmentsDatasetDeterministically(@TempDir Path dir) throws Exception {
    Outcome a = ludus("data", "generate", "test-countdown", "--out", dir.resolve("a").toString(), "--count", "3",
        "--seed", "7", "--env-config", "turns: 5");
    assertEquals(0, a.code(), a.err());
    assertTrue(a.out().contains("countdown-jsonl") && a.out().contains("3 tasks written"), a.out());
    List<String> lines = Files.readAllLines(dir.resolve("a/tasks.jsonl"));
    assertEquals(3, lines.size());
    assertTrue(lines.get(0).contains("\"turns\": 5"), lines.get(0));
    assertEquals(0, ludus("data", "generate", "test-countdown", "--out", dir.resolve("b").toString(), "--count", "3",
        "--seed", "7", "--env-config", "turns: 5").code());
    assertEquals(Files.readString(dir.resolve("a/tasks.jsonl")), Files.readString(dir.resolve("b/tasks.jsonl")));
  }

  @Test
  void anEnvironmentWithoutADatasetWriterIsBadInput(@TempDir Path dir) {
    Outcome o = ludus("data", "generate", "test-context-env", "--out", dir.resolve("x").toString());
    assertEquals(2, o.code());
    assertTrue(o.err().contains("does not write datasets"), o.err());
  }

  @Test
  void aNonEmptyOutputDirectoryOrABadCountIsBadInput(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("existing.txt"), "x");
    Outcome full = ludus("data", "generate", "test-countdown", "--out", dir.toString());
    assertEquals(2, full.code());
    assertTrue(full.err().contains("is not empty"), full.err());
    Outcome count = ludus("data", "generate", "test-countdown", "--out", dir.resolve("y").toString(), "--count", "0");
    assertEquals(2, count.code());
    assertTrue(count.err().contains("count must be at least 1, was 0"), count.err());
  }
}
