package dev.ludus.runner.store;

import dev.ludus.api.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The directory one run writes into: {@code config.yaml} (the resolved configuration),
 * {@code episodes.jsonl} (the episode store) and {@code summary.json} (the run's metrics summary).
 *
 * @param path the run's own directory
 */
public record RunDirectory(Path path) {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  /**
   * Creates a new directory under {@code parent} named after the time and {@code label}; fails with a
   * {@link ConfigException} naming the directory when it cannot be written.
   */
  public static RunDirectory create(Path parent, String label) {
    String base = LocalDateTime.now().format(STAMP) + "-" + label.replaceAll("[^A-Za-z0-9._-]", "_");
    try {
      Files.createDirectories(parent);
      Path dir = parent.resolve(base);
      for (int i = 2; Files.exists(dir); i++) {
        dir = parent.resolve(base + "-" + i);
      }
      Files.createDirectory(dir);
      if (!Files.isWritable(dir)) {
        throw new IOException("not writable");
      }
      return new RunDirectory(dir);
    } catch (IOException | SecurityException e) {
      throw new ConfigException("cannot write the run directory under '" + parent + "' (" + e.getMessage()
          + "); choose a writable --out directory");
    }
  }

  public Path episodes() {
    return path.resolve("episodes.jsonl");
  }

  public Path config() {
    return path.resolve("config.yaml");
  }

  public Path summary() {
    return path.resolve("summary.json");
  }
}
