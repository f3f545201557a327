package dev.ludus.runner.store;

import dev.ludus.api.Episode;
import dev.ludus.api.codec.EpisodeCodec;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The episode store: an append-only JSON Lines file, one {@link Episode} per line. An episode's stage
 * completes only once its line has been written and flushed to the file, so a crash loses at most the
 * episodes still in flight.
 *
 * <p>Design: the caller serializes its episode to bytes ({@link EpisodeCodec#encode(Episode)}) on its own
 * thread (event loops serialize in parallel; nothing there waits on I/O), and one writer thread drains every
 * line queued so far, writes them, flushes once for the batch and completes their stages (group commit).
 * Lines never interleave. Thread-safe: {@link #append} may be called from any thread. Life-cycle:
 * {@link #open}, then {@link #close}, which waits for pending lines; closing twice is a no-op.
 */
public final class EpisodeStore implements AutoCloseable {
  private static final EpisodeCodec CODEC = EpisodeCodec.plain();

  private record Pending(byte[] line, CompletableFuture<Void> flushed) {}

  private final Path file;
  private final OutputStream out;
  private final ExecutorService writer;
  private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicLong written = new AtomicLong();
  private volatile boolean closed;

  private EpisodeStore(Path file) throws IOException {
    this.file = file;
    this.out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND, StandardOpenOption.WRITE), 1 << 16);
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

  /** Serializes {@code episode} here, then queues it; the stage completes once its line is flushed. */
  public CompletionStage<Void> append(Episode episode) {
    if (closed) {
      return CompletableFuture.failedFuture(new IllegalStateException("episode store " + file + " is closed"));
    }
    byte[] line;
    try {
      line = CODEC.encode(episode);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(new IllegalStateException(e.getMessage(), e));
    }
    Pending p = new Pending(line, new CompletableFuture<>());
    queue.add(p);
    if (draining.compareAndSet(false, true)) {
      writer.execute(this::drain);
    }
    return p.flushed();
  }

  /** On the writer thread: writes every queued line, flushes once, completes their stages. */
  private void drain() {
    List<Pending> batch = new ArrayList<>();
    do {
      Pending p;
      while ((p = queue.poll()) != null) {
        batch.add(p);
      }
      if (!batch.isEmpty()) {
        IOException failure = null;
        try {
          for (Pending b : batch) {
            out.write(b.line());
            out.write('\n');
          }
          out.flush();
        } catch (IOException e) {
          failure = e;
        }
        for (Pending b : batch) {
          if (failure == null) {
            written.incrementAndGet();
            b.flushed().complete(null);
          } else {
            b.flushed().completeExceptionally(new UncheckedIOException("cannot write to " + file, failure));
          }
        }
        batch.clear();
      }
      draining.set(false);
      // a line queued after the poll loop but before the flag was cleared would otherwise wait for the next
    } while (!queue.isEmpty() && draining.compareAndSet(false, true));
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    writer.execute(this::drain);
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
