package dev.ludus.runner.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.runner.config.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** JSON Lines, one row a line, streamed to the file as rows come. Not thread-safe. */
final class JsonlSink implements RowSink {
  private final Path file;
  private final BufferedWriter out;
  private long rows;

  JsonlSink(Path file) {
    this.file = file;
    try {
      this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void accept(ObjectNode row) {
    try {
      out.write(Json.JSON.writeValueAsString(row));
      out.write('\n');
      rows++;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public long rows() {
    return rows;
  }

  @Override
  public void abort() {
    try {
      out.close();
    } catch (IOException ignored) {
      // deleting it anyway
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the partial export " + file, e);
    }
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
