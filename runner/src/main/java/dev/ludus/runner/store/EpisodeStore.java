package dev.ludus.runner.store;

import dev.ludus.api.Episode;
import dev.ludus.runner.config.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The episode store: an append-only JSON Lines file, one {@link Episode} per line, each line flushed as
 * soon as it is written so that a crash loses at most the episode being written.
 *
 * <p>Design: serialization and file I/O run on one dedicated writer thread, so callers on an event loop
 * never block and lines never interleave. Thread-safe: {@link #append} may be called from any thread.
 * Life-cycle: {@link #open} then {@link #close}, which waits for pending appends; closing twice is a no-op.
 */
public final class EpisodeStore implements AutoCloseable {
  private final Path file;
  private final BufferedWriter out;
  private final ExecutorService writer;
  private final AtomicLong written = new AtomicLong();
  private volatile boolean closed;

  private EpisodeStore(Path file) throws IOException {
    this.file = file;
    this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    this.writer = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "ludus-episode-store");
      t.setDaemon(true);
      return t;
    });
  }

  /** Opens {@code file} for appending, creating it and its directories if needed. */
  public static EpisodeStore open(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      return new EpisodeStore(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open episode store " + file + ": " + e.getMessage(), e);
    }
  }

  public Path file() {
    return file;
  }

  /** Episodes written and flushed so far. */
  public long written() {
    return written.get();
  }

  /** Writes {@code episode} as one line and flushes; the stage completes once it is flushed. */
  public CompletionStage<Void> append(Episode episode) {
    if (closed) {
      return CompletableFuture.failedFuture(new IllegalStateException("episode store " + file + " is closed"));
    }
    return CompletableFuture.runAsync(() -> {
      try {
        out.write(Json.JSON.writeValueAsString(episode));
        out.write('\n');
        out.flush();
        written.incrementAndGet();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write episode " + episode.id() + " to " + file, e);
      }
    }, writer);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    writer.shutdown();
    try {
      if (!writer.awaitTermination(60, TimeUnit.SECONDS)) {
        writer.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close episode store " + file, e);
    }
  }
}
