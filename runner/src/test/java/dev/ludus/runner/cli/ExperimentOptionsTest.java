package dev.ludus.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ExperimentOptionsTest {
  @Test
  void runMakesTheRunDirectoryUnderOutThenPrintsHeaderProgressTableAndWrittenFilesInOrder(@TempDir Path tmp)
      throws Exception {
    CommandLine cl = new CommandLine(new ExperimentCommand());
    StringWriter text = new StringWriter();
    cl.setOut(new PrintWriter(text));
    ExperimentOptions options = new ExperimentOptions();
    options.out = tmp.resolve("runs");
    options.device = "cpu";
    AtomicReference<Path> ranIn = new AtomicReference<>();
    int code = options.run(cl.getCommandSpec(), "noise", "ludus experiment noise: a title", "noise",
        "noise.json, and more", (dir, device, w) -> {
          ranIn.set(dir);
          assertEquals("cpu", device);
          w.println("progress line");
          return "| table |\n";
        });
    assertEquals(0, code);
    List<Path> dirs;
    try (Stream<Path> s = Files.list(tmp.resolve("runs"))) {
      dirs = s.toList();
    }
    assertEquals(List.of(ranIn.get()), dirs, "the experiment ran in the one directory made under --out");
    assertTrue(dirs.get(0).getFileName().toString().endsWith("-noise"), dirs.toString());
    String n = System.lineSeparator();
    assertEquals("ludus experiment noise: a title; run directory " + dirs.get(0) + n + "progress line" + n + n
        + "| table |\n" + "written: " + dirs.get(0).resolve("noise.md") + ", noise.json, and more" + n,
        text.toString());
  }
}
