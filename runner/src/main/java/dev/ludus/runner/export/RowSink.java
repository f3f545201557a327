package dev.ludus.runner.export;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Where an export's rows go, one at a time. Not thread-safe. Closing finishes the file. */
interface RowSink extends AutoCloseable {
  void accept(ObjectNode row);

  /** Rows accepted so far. */
  long rows();

  @Override
  void close();
}
