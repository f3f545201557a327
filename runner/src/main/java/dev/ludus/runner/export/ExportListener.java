package dev.ludus.runner.export;

/** Hears an export's progress (for a progress bar). Called on the exporting thread. */
public interface ExportListener {
  /** The export is about to read {@code lines} lines in all (both passes of a paired format). */
  default void started(long lines) {}

  /** One more line was read. */
  default void read() {}

  /** A listener that hears nothing. */
  static ExportListener none() {
    return new ExportListener() {};
  }
}
