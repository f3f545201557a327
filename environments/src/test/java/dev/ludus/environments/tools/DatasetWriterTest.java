package dev.ludus.environments.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Agent;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.DatasetWriter;
import dev.ludus.api.Task;
import dev.ludus.api.testing.EnvTestKit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ludus data generate function-calling} writes BFCL, xLAM and ToolRL files that the loaders read back. */
class DatasetWriterTest {
  static final FunctionCallingProvider PROVIDER = new FunctionCallingProvider();

  private static List<DatasetWriter.WrittenFile> write(Path dir) throws Exception {
    return PROVIDER.writeDataset(FunctionCallingConfig.defaults(), new DatasetWriter.Options(120, 7), dir);
  }

  @Test
  void writesTheFieldsFormats_andTheLoadersReadThemBack_andTheOracleSolvesEveryTask(@TempDir Path dir)
      throws Exception {
    List<DatasetWriter.WrittenFile> written = write(dir);
    Set<String> names = written.stream().map(f -> dir.relativize(f.path()).toString()).collect(Collectors.toSet());
    for (String expected : List.of("BFCL_v3_simple.json", "possible_answer/BFCL_v3_simple.json",
        "BFCL_v3_multiple.json", "BFCL_v3_parallel.json", "BFCL_v3_irrelevance.json", "BFCL_v3_multi_turn_base.json",
        "possible_answer/BFCL_v3_multi_turn_base.json", "BFCL_v3_multi_turn_miss_param.json", "xlam.json",
        "toolrl.json")) {
      assertTrue(names.contains(expected), expected + " not in " + names);
    }
    assertTrue(names.stream().anyMatch(n -> n.startsWith("multi_turn_func_doc/")), names.toString());
    int total = 0;
    for (String format : List.of("bfcl", "xlam", "toolrl")) {
      String path = format.equals("bfcl") ? dir.toString() : dir.resolve(format + ".json").toString();
      BoundEnvironment env = PROVIDER.bind(FunctionCallingConfig.defaults()
          .withDataset(new FunctionCallingConfig.Dataset(format, path)));
      List<Task> tasks = FunctionCallingProvider.dataset(((FunctionCallingConfig) env.config()).dataset());
      Agent oracle = env.oracle().orElseThrow();
      for (Task t : tasks) {
        assertTrue(EnvTestKit.play(env, oracle, t, 0, 24).succeeded(), format + " " + t.id());
      }
      if (format.equals("bfcl")) {
        assertEquals(120, tasks.size(), "every generated task is a BFCL entry");
      }
      total += tasks.size();
    }
    assertTrue(total > 120);
  }

  @Test
  void theSameSeedWritesTheSameBytes(@TempDir Path a, @TempDir Path b) throws Exception {
    write(a);
    write(b);
    List<Path> files;
    try (Stream<Path> s = Files.walk(a)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path f : files) {
      assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(b.resolve(a.relativize(f))), f.toString());
    }
  }

  @Test
  void theFilesHoldTheTasksTheEnvironmentPlays(@TempDir Path dir) throws Exception {
    write(dir);
    BoundEnvironment env = PROVIDER.bind(FunctionCallingConfig.defaults());
    Task first = env.tasks().task(0, 7);
    Scenario.Executable s = (Scenario.Executable) Scenarios.of(first, FunctionCallingConfig.defaults());
    String all;
    try (Stream<Path> files = Files.walk(dir)) {
      all = files.filter(Files::isRegularFile).map(p -> {
        try {
          return Files.readString(p);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).collect(Collectors.joining("\n"));
    }
    String request = s.turns().get(0).request();
    String escaped = dev.ludus.api.tools.StrictJson.canonical(
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.textNode(request));
    assertTrue(all.contains(escaped.substring(1, escaped.length() - 1)), "task 0's request is in the files: " + request);
  }
}
