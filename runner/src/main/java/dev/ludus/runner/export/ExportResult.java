package dev.ludus.runner.export;

import java.nio.file.Path;
import java.util.Map;

/**
 * What an export did. Immutable and thread-safe.
 *
 * @param file the file written
 * @param read episodes (or metrics lines) read
 * @param taken episodes the filter took
 * @param rows rows written
 * @param skipped taken episodes (or pairs) that gave no row, counted by reason
 */
public record ExportResult(Path file, long read, long taken, long rows, Map<String, Long> skipped) {
  public ExportResult {
    skipped = Map.copyOf(skipped);
  }
}
