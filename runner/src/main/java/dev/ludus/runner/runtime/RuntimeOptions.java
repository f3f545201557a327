package dev.ludus.runner.runtime;

/**
 * How the runtime's Vert.x instance is sized.
 *
 * @param eventLoops event-loop threads (default: 2 per core, as Vert.x does)
 * @param workers worker threads for blocking environment code (default 20)
 * @param maxEventLoopBlockMillis how long an event loop may run one task before the blocked-thread checker
 *     reports it (default 2000; tests use less)
 */
public record RuntimeOptions(int eventLoops, int workers, long maxEventLoopBlockMillis) {
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
  }

  /**
   * Two event loops per core (as Vert.x does), 20 workers, a 2 s block limit; the system property
   * {@code ludus.eventLoops} overrides the loop count.
   */
  public static RuntimeOptions defaults() {
    int loops = Integer.getInteger("ludus.eventLoops", 2 * Runtime.getRuntime().availableProcessors());
    return new RuntimeOptions(loops, 20, 2_000);
  }

  public RuntimeOptions withMaxEventLoopBlockMillis(long millis) {
    return new RuntimeOptions(eventLoops, workers, millis);
  }
}
