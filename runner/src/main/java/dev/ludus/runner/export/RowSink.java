package dev.ludus.runner.export;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Where an export's rows go, one at a time. Not thread-safe. {@link #close} finishes the file; {@link #abort} (after
 * a failure) removes what was written instead.
 */
interface RowSink extends AutoCloseable {
  void accept(ObjectNode row);

  /** Rows accepted so far. */
  long rows();

  @Override
  void close();

  /** Gives up: closes and deletes every file this sink wrote. */
  void abort();
}
