package dev.ludus.runner.runtime;

/**
 * How the runtime's Vert.x instance is sized, and how much heap it budgets per episode in flight.
 *
 * @param eventLoops event-loop threads (default: 2 per core, as Vert.x does)
 * @param workers worker threads for blocking environment code (default 20)
 * @param maxEventLoopBlockMillis how long an event loop may run one task before the blocked-thread checker
 *     reports it (default 2000; tests use less)
 * @param episodeHeapBytes the heap budgeted per episode in flight, >= 0: a rollout keeps at most half the JVM's
 *     maximum heap divided by this many episodes in flight (at least 16), whatever concurrency it asks for, so that
 *     a concurrency the heap cannot hold slows the run down instead of exhausting the heap (default 256 KiB, about
 *     300 turns of history at the runtime's measured cost; {@code -Dludus.episodeHeapBytes=N} changes it, 0 turns
 *     the budget off)
 */
public record RuntimeOptions(int eventLoops, int workers, long maxEventLoopBlockMillis, long episodeHeapBytes) {
  /** The default {@code episodeHeapBytes}: 256 KiB. */
  public static final long DEFAULT_EPISODE_HEAP_BYTES = 256 * 1024;

  /** The fewest episodes the heap budget allows in flight. */
  public static final int MIN_IN_FLIGHT = 16;

  public RuntimeOptions {
    if (eventLoops < 1) {
      throw new IllegalArgumentException("eventLoops must be at least 1, was " + eventLoops);
    }
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1, was " + workers);
    }
    if (maxEventLoopBlockMillis < 1) {
      throw new IllegalArgumentException("maxEventLoopBlockMillis must be at least 1, was " + maxEventLoopBlockMillis);
    }
    if (episodeHeapBytes < 0) {
      throw new IllegalArgumentException("episodeHeapBytes must be at least 0 (0: no budget), was " + episodeHeapBytes);
    }
  }

  /** Options with the default heap budget per episode. */
  public RuntimeOptions(int eventLoops, int workers, long maxEventLoopBlockMillis) {
    this(eventLoops, workers, maxEventLoopBlockMillis, defaultEpisodeHeapBytes());
  }

  /**
   * Two event loops per core (as Vert.x does), 20 workers, a 2 s block limit, 256 KiB per episode in flight; the
   * system properties {@code ludus.eventLoops} and {@code ludus.episodeHeapBytes} override the loop count and the
   * budget.
   */
  public static RuntimeOptions defaults() {
    int loops = Integer.getInteger("ludus.eventLoops", 2 * Runtime.getRuntime().availableProcessors());
    return new RuntimeOptions(loops, 20, 2_000);
  }

  public RuntimeOptions withMaxEventLoopBlockMillis(long millis) {
    return new RuntimeOptions(eventLoops, workers, millis, episodeHeapBytes);
  }

  public RuntimeOptions withEpisodeHeapBytes(long bytes) {
    return new RuntimeOptions(eventLoops, workers, maxEventLoopBlockMillis, bytes);
  }

  /**
   * The most episodes a rollout asking for {@code requested} keeps in flight on a heap of at most
   * {@code maxHeapBytes}: {@code requested}, or fewer when half the heap cannot hold that many at
   * {@code episodeHeapBytes} each (never fewer than {@value #MIN_IN_FLIGHT}, nor more than asked).
   */
  public int inFlightLimit(int requested, long maxHeapBytes) {
    if (episodeHeapBytes == 0 || maxHeapBytes <= 0 || maxHeapBytes == Long.MAX_VALUE) {
      return requested;
    }
    long budget = Math.max(MIN_IN_FLIGHT, maxHeapBytes / 2 / episodeHeapBytes);
    return (int) Math.min(requested, budget);
  }

  private static long defaultEpisodeHeapBytes() {
    return Math.max(0, Long.getLong("ludus.episodeHeapBytes", DEFAULT_EPISODE_HEAP_BYTES));
  }
}
