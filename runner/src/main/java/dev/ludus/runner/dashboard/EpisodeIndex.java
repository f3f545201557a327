package dev.ludus.runner.dashboard;

import dev.ludus.api.EpisodeStatus;
import dev.ludus.runner.runtime.RunSummary;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An index over a run's {@code episodes.jsonl}, built as the file grows.
 *
 * <p>Design: a store can be far larger than a page should ever hold, so the index keeps per episode only where its
 * line starts, how long it is, and one byte of status and success (enough to filter); the counts and failure
 * kinds are summed as lines are read, once each. A page reads just its own lines again from the file. Each call
 * first reads the complete lines the file gained (a writer's half-written last line waits for the next call).
 * Thread-safe (synchronized); blocks on file I/O, so call it off the event loop.
 */
final class EpisodeIndex {
  private static final int SUCCESS_BIT = 4;

  private final Path file;
  private long[] starts = new long[256];
  private int[] lengths = new int[256];
  private byte[] flags = new byte[256];
  private int count;
  private long offset;
  private int unreadable;
  private final int[] byStatus = new int[EpisodeStatus.values().length];
  private int successes;
  private double returnSum;
  private final Map<String, long[]> failureCounts = new LinkedHashMap<>();
  private final Map<String, String> failureExamples = new LinkedHashMap<>();
  private int lastSuccess = -1;
  private int lastUnsuccessful = -1;
  private int lastFailed = -1;
  private String env;

  EpisodeIndex(Path file) {
    this.file = file;
  }

  /** Episodes indexed, after reading what the file gained. */
  synchronized int size() {
    refresh();
    return count;
  }

  /**
   * Reads about {@code budget} bytes more of the file at most (for listing many runs without reading every large
   * store whole at once), and returns what is indexed so far.
   */
  synchronized Progress advance(long budget) {
    refresh(budget);
    long size;
    try {
      size = Files.isRegularFile(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return new Progress(count, env, size - offset);
  }

  /**
   * What {@link #advance} indexed so far.
   *
   * @param episodes episodes indexed
   * @param env the environment of the first episode, or null before any
   * @param pendingBytes bytes of the file not indexed yet (a large store is indexed over several calls; a line being
   *     written counts too)
   */
  record Progress(int episodes, String env, long pendingBytes) {}

  /** Counts over every episode so far. */
  synchronized Views.EpisodeStats stats() {
    refresh();
    List<RunSummary.FailureCount> failures = new ArrayList<>();
    failureCounts.forEach((k, v) -> failures.add(new RunSummary.FailureCount(k, v[0], failureExamples.get(k))));
    failures.sort(Comparator.comparingLong(RunSummary.FailureCount::count).reversed());
    int failed = byStatus[EpisodeStatus.FAILED.ordinal()];
    int notFailed = count - failed;
    return new Views.EpisodeStats(count, byStatus[EpisodeStatus.COMPLETED.ordinal()],
        byStatus[EpisodeStatus.TRUNCATED.ordinal()], failed, successes, count == 0 ? 0 : successes / (double) count,
        notFailed == 0 ? 0 : returnSum / notFailed, failures,
        new Views.Examples(lastSuccess, lastUnsuccessful, lastFailed), unreadable);
  }

  /**
   * The {@code limit} episodes passing {@code filter} from position {@code from} among them, newest first when
   * {@code newestFirst}.
   */
  synchronized Views.EpisodePage page(String run, EpisodeFilter filter, boolean newestFirst, int from, int limit) {
    refresh();
    int[] matching = new int[count];
    int n = 0;
    for (int k = 0; k < count; k++) {
      int i = newestFirst ? count - 1 - k : k;
      if (filter.accepts(status(i), (flags[i] & SUCCESS_BIT) != 0)) {
        matching[n++] = i;
      }
    }
    int first = Math.max(0, Math.min(from, n));
    int last = Math.min(n, first + limit);
    List<Views.EpisodeRow> rows = new ArrayList<>(last - first);
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      for (int k = first; k < last; k++) {
        int i = matching[k];
        byte[] line = read(in, i);
        rows.add(EpisodeHead.parse(line, 0, line.length).row(i));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return new Views.EpisodePage(run, filter.wireName(), newestFirst ? "newest" : "oldest", n, first, rows);
  }

  /** The stored line of episode {@code index}, if there is one. */
  synchronized Optional<byte[]> line(int index) {
    refresh();
    if (index < 0 || index >= count) {
      return Optional.empty();
    }
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      return Optional.of(read(in, index));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private byte[] read(RandomAccessFile in, int index) throws IOException {
    byte[] line = new byte[lengths[index]];
    in.seek(starts[index]);
    in.readFully(line);
    return line;
  }

  private EpisodeStatus status(int index) {
    return EpisodeStatus.values()[flags[index] & 3];
  }

  private void refresh() {
    refresh(Long.MAX_VALUE);
  }

  private void refresh(long budget) {
    if (!Files.isRegularFile(file)) {
      return;
    }
    try {
      long next = Lines.read(file, offset, budget, this::add);
      if (next == Lines.SHRUNK) {
        reset();
        next = Lines.read(file, 0, budget, this::add);
      }
      offset = next;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private void add(long start, byte[] bytes, int off, int len) {
    if (isBlank(bytes, off, len)) {
      return;
    }
    EpisodeHead h;
    try {
      h = EpisodeHead.parse(bytes, off, len);
    } catch (IOException e) {
      unreadable++;
      return;
    }
    if (count == starts.length) {
      int size = count * 2;
      starts = Arrays.copyOf(starts, size);
      lengths = Arrays.copyOf(lengths, size);
      flags = Arrays.copyOf(flags, size);
    }
    starts[count] = start;
    lengths[count] = len;
    flags[count] = (byte) (h.status().ordinal() | (h.success() ? SUCCESS_BIT : 0));
    byStatus[h.status().ordinal()]++;
    if (env == null) {
      env = h.env();
    }
    if (h.status() == EpisodeStatus.FAILED) {
      lastFailed = count;
      String reason = h.failure() == null ? "unknown" : h.failure();
      // as EpisodeRuntime counts them in summary.json: by the recorded kind (the kind a reason names in older files)
      String kind = h.failureKindLabel();
      failureCounts.computeIfAbsent(kind, k -> new long[1])[0]++;
      failureExamples.putIfAbsent(kind, reason);
    } else {
      returnSum += h.totalReturn();
      if (h.success()) {
        lastSuccess = count;
      } else {
        lastUnsuccessful = count;
      }
    }
    if (h.success()) {
      successes++;
    }
    count++;
  }

  private static boolean isBlank(byte[] bytes, int off, int len) {
    for (int i = off; i < off + len; i++) {
      if (!Character.isWhitespace(bytes[i])) {
        return false;
      }
    }
    return true;
  }

  private void reset() {
    count = 0;
    offset = 0;
    unreadable = 0;
    Arrays.fill(byStatus, 0);
    successes = 0;
    returnSum = 0;
    failureCounts.clear();
    failureExamples.clear();
    lastSuccess = -1;
    lastUnsuccessful = -1;
    lastFailed = -1;
    env = null;
  }
}
