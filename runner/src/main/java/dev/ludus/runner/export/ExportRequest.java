package dev.ludus.runner.export;

import dev.ludus.api.ConfigException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * What to export. Immutable and thread-safe.
 *
 * @param runDirectory the run's directory (with {@code episodes.jsonl}, or {@code metrics.jsonl} for
 *     {@link ExportFormat#VERL_METRICS})
 * @param format the layout
 * @param out the file to write (its extension, {@code .parquet} or {@code .jsonl}, chooses the kind), or null for
 *     {@code RUN_DIR/export/<format><the format's default extension>}
 * @param filter which episodes
 * @param keys the OpenRLHF formats' field names
 */
public record ExportRequest(Path runDirectory, ExportFormat format, Path out,
    EpisodeFilter filter, ExportKeys keys) {
  public ExportRequest {
    Objects.requireNonNull(runDirectory, "runDirectory");
    Objects.requireNonNull(format, "format");
    filter = filter == null ? EpisodeFilter.defaults() : filter;
    keys = keys == null ? ExportKeys.defaults() : keys;
    if (out != null && !format.allows(container(out))) {
      throw new ConfigException("--out " + out + ": " + format.wireName() + " is written as JSON Lines only; give a "
          + ".jsonl file");
    }
  }

  /** The file this request writes. */
  public Path output() {
    return out != null ? out
        : runDirectory.resolve("export").resolve(format.wireName() + format.defaultContainer().extension());
  }

  /** The kind of file written. */
  public ExportFormat.Container container() {
    return container(output());
  }

  private static ExportFormat.Container container(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    for (ExportFormat.Container c : ExportFormat.Container.values()) {
      if (name.endsWith(c.extension())) {
        return c;
      }
    }
    throw new ConfigException("--out " + file + " must end in .parquet or .jsonl (the kind of file to write)");
  }
}
