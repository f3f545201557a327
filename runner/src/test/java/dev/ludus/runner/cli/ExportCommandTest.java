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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@MicronautTest
class ExportCommandTest {
  @Inject ApplicationContext context;


  private Outcome ludus(String... args) {
    return CliRun.in(context, args);
  }

  @Test
  void anUnknownFormatGetsOneLineListingTheFormatsAndExitCode2(@TempDir Path dir) {
    Outcome o = ludus("export", dir.toString(), "--format", "verl");
    assertEquals(2, o.code());
    assertEquals(1, o.err().strip().lines().count(), o.err());
    assertTrue(o.err().contains("unknown export format 'verl'; formats: verl-rl, verl-sft, skyrl, openrlhf-sft, "
        + "openrlhf-dpo, trl-messages, trl-preference, tokens, verl-metrics"), o.err());
  }

  @Test
  void badFiltersAndOutputsAreRefusedWithExitCode2(@TempDir Path dir) {
    Outcome it = ludus("export", dir.toString(), "--format", "verl-rl", "--iterations", "3..x");
    assertEquals(2, it.code());
    assertTrue(it.err().contains("--iterations '3..x' is not a range; allowed: A..B, A.., ..B or N"), it.err());
    Outcome status = ludus("export", dir.toString(), "--format", "verl-rl", "--status", "done");
    assertEquals(2, status.code());
    assertTrue(status.err().contains("--status: unknown status 'done'; allowed: completed, truncated, failed"),
        status.err());
    Outcome out = ludus("export", dir.toString(), "--format", "trl-messages", "--out", "x.csv");
    assertEquals(2, out.code());
    assertTrue(out.err().contains("must end in .parquet or .jsonl"), out.err());
    Outcome metrics = ludus("export", dir.toString(), "--format", "verl-metrics", "--out", "m.parquet");
    assertEquals(2, metrics.code());
    assertTrue(metrics.err().contains("verl-metrics is written as JSON Lines only"), metrics.err());
    Outcome missing = ludus("export", dir.resolve("nope").toString(), "--format", "verl-rl");
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("does not exist"), missing.err());
  }

  @Test
  void exportWritesTheFileAndSaysWhatItTook(@TempDir Path dir) throws Exception {
    Outcome r = ludus("rollout", "--env", "test-countdown", "--agent", "random", "--episodes", "8", "--group-size",
        "4", "--out", dir.toString(), "--no-progress");
    assertEquals(0, r.code(), r.err());
    Path run;
    try (Stream<Path> runs = Files.list(dir)) {
      run = runs.findFirst().orElseThrow();
    }
    Outcome o = ludus("export", run.toString(), "--format", "openrlhf-sft", "--input-key", "q", "--output-key", "a",
        "--success", "true", "--no-progress");
    assertEquals(0, o.code(), o.err());
    Path file = run.resolve("export/openrlhf-sft.jsonl");
    assertTrue(o.out().contains("openrlhf-sft: 8 rows from 8 of 8 episodes -> " + file), o.out());
    List<String> lines = Files.readAllLines(file);
    assertEquals(8, lines.size());
    assertTrue(lines.get(0).startsWith("{\"q\":["), lines.get(0));
  }
}
