package dev.ludus.runner.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The runs under the dashboard's roots. A root that is itself a run is one run; any other root is listed again on
 * each {@link #runs()} call and each run directory directly inside it joins, so runs that start later appear. A run
 * keeps its id (its directory name, with {@code -2}, {@code -3}... when two roots hold the same name) and its
 * tailed files for as long as the dashboard runs. Thread-safe (synchronized); blocks on file I/O.
 */
final class RunCatalog {
  private final List<Path> roots;
  private final Map<Path, RunFiles> byDir = new LinkedHashMap<>();
  private final Map<String, RunFiles> byId = new LinkedHashMap<>();

  RunCatalog(List<Path> roots) {
    this.roots = roots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
  }

  /** Every run found so far, after looking for new ones; in the order found (run directories sort by start time). */
  synchronized List<RunFiles> runs() {
    for (Path root : roots) {
      if (RunFiles.isRun(root)) {
        add(root);
      } else if (Files.isDirectory(root)) {
        try (Stream<Path> children = Files.list(root)) {
          children.filter(Files::isDirectory).filter(RunFiles::isRun).sorted().forEach(this::add);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
        }
      }
    }
    return List.copyOf(byDir.values());
  }

  /** The run with {@code id}, looking for new runs first when it is not known yet. */
  synchronized Optional<RunFiles> find(String id) {
    if (!byId.containsKey(id)) {
      runs();
    }
    return Optional.ofNullable(byId.get(id));
  }

  private void add(Path dir) {
    if (byDir.containsKey(dir)) {
      return;
    }
    String base = dir.getFileName() == null ? "run" : dir.getFileName().toString();
    String id = base;
    for (int i = 2; byId.containsKey(id); i++) {
      id = base + "-" + i;
    }
    RunFiles run = new RunFiles(id, dir);
    byDir.put(dir, run);
    byId.put(id, run);
  }


  /** The roots, absolute; for messages. */
  List<Path> roots() {
    return new ArrayList<>(roots);
  }
}
