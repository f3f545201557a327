package dev.ludus.runner.store;

import dev.ludus.api.Episode;
import dev.ludus.api.codec.EpisodeCodec;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
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
 * completes only once its line has been written to the file, so a crash loses at most the episodes still in
 * flight.
 *
 * <p>Crash consistency: lines reach the file whole. Each batch is handed to the operating system as whole lines
 * in one write of a buffer that holds them all (no stream buffer that could flush half a line), so a process killed
 * at any moment (kill -9) leaves every line it wrote complete, except at most the last one, torn by a kill during
 * that very write. {@link EpisodeReader} skips such a torn final line and reports it; {@link #openForResume} cuts it
 * off before appending. A failed write is rolled back to the last whole line. The file is forced to the disk at
 * {@link #close}; a power loss between batches may lose the latest lines (never tear an earlier one).
 *
 * <p>Design: the caller serializes its episode to bytes ({@link EpisodeCodec#encode(Episode)}) on its own
 * thread (event loops serialize in parallel; nothing there waits on I/O), and one writer thread drains every
 * line queued so far, writes them at once and completes their stages (group commit).
 * Lines never interleave. Thread-safe: {@link #append} may be called from any thread. Life-cycle:
 * {@link #open}, then {@link #close}, which waits for pending lines; closing twice is a no-op.
 */
public final class EpisodeStore implements AutoCloseable {
  private static final EpisodeCodec CODEC = EpisodeCodec.plain();

  private record Pending(byte[] line, CompletableFuture<Void> flushed) {}

  private final Path file;
  /** The most bytes handed to one write: a batch larger than this goes out in several writes of whole lines. */
  private static final int MAX_WRITE = 4 << 20;

  private final FileChannel out;
  private final ExecutorService writer;
  private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicLong written = new AtomicLong();
  private volatile boolean closed;

  private EpisodeStore(Path file) throws IOException {
    this.file = file;
    this.out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
        StandardOpenOption.WRITE);
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
          writeWhole(batch);
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

  /**
   * Writes the batch's lines, each with its newline, in writes of whole lines; on a failure, cuts the file back
   * to where the batch began, so the next batch does not continue a partial line.
   */
  private void writeWhole(List<Pending> batch) throws IOException {
    long start = out.size();
    try {
      int i = 0;
      while (i < batch.size()) {
        int bytes = 0;
        int j = i;
        do {
          bytes += batch.get(j).line().length + 1;
          j++;
        } while (j < batch.size() && bytes + batch.get(j).line().length + 1 <= MAX_WRITE);
        ByteBuffer buf = ByteBuffer.allocate(bytes);
        for (int k = i; k < j; k++) {
          buf.put(batch.get(k).line()).put((byte) '\n');
        }
        buf.flip();
        while (buf.hasRemaining()) {
          out.write(buf);
        }
        i = j;
      }
    } catch (IOException e) {
      try {
        out.truncate(start);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /**
   * Opens an existing store to append to it after a crash: a torn final line (see {@link EpisodeReader}) is cut
   * off, and a final line that is whole but lacks its newline gets one, so the next line starts on a line of its
   * own. Creates the file when it does not exist. Returns the store and what the file held.
   */
  public static Resumed openForResume(Path file, Consumer<? super Episode> existing) {
    EpisodeReader.ReadResult read = Files.exists(file)
        ? EpisodeReader.scan(file, CODEC, existing) : new EpisodeReader.ReadResult(0, null);
    try {
      if (Files.exists(file)) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
          if (read.hasTornLine()) {
            ch.truncate(read.torn().offset());
          }
          long size = ch.size();
          if (size > 0) {
            ByteBuffer last = ByteBuffer.allocate(1);
            ch.read(last, size - 1);
            if (last.get(0) != '\n') {
              ch.write(ByteBuffer.wrap(new byte[] {'\n'}), size);
            }
          }
          ch.force(true);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot repair episode store " + file + ": " + e.getMessage(), e);
    }
    return new Resumed(open(file), read);
  }

  /**
   * A store reopened by {@link #openForResume}.
   *
   * @param store the store, appending after the file's last whole line
   * @param read what the file held: its episodes, and the torn final line that was cut off (or null)
   */
  public record Resumed(EpisodeStore store, EpisodeReader.ReadResult read) {}

  /**
   * Keeps only the episodes of {@code file} that {@code keep} accepts, in their order (a torn final
   * line is dropped): the kept lines go to a temporary file beside it, forced to the disk and renamed over it, so a
   * crash leaves either the old file or the new one. Must not run while a store appends to the file. Returns how
   * many episodes were dropped.
   */
  public static long retain(Path file, Predicate<? super Episode> keep) {
    if (!Files.exists(file)) {
      return 0;
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    long[] dropped = {0};
    try (OutputStream w = Files.newOutputStream(tmp)) {
      EpisodeReader.scan(file, CODEC, e -> {
        if (keep.test(e)) {
          try {
            w.write(CODEC.encode(e));
            w.write('\n');
          } catch (IOException ex) {
            throw new UncheckedIOException(ex);
          }
        } else {
          dropped[0]++;
        }
      });
    } catch (IOException | UncheckedIOException e) {
      throw new IllegalStateException("cannot rewrite episode store " + file + ": " + e.getMessage(), e);
    }
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot replace episode store " + file + ": " + e.getMessage(), e);
    }
    return dropped[0];
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
      if (out.isOpen()) {
        out.force(false);
      }
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close episode store " + file, e);
    }
  }
}
