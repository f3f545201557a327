package dev.ludus.runner.runtime;

/**
 * What one rollout runs: how many episodes, how many at once, the seed, and the limits.
 *
 * <p>In a multi-agent environment the counts are of matches: each match records one episode per seat, and groups
 * are formed per seat (the {@code groupSize} matches on one task give each seat a group of its own episodes).
 *
 * @param episodes episodes to play (at least 1); matches in a multi-agent environment
 * @param concurrency episodes (matches) in flight at once (at least 1); thousands are fine on the event loops
 * @param seed the run seed: task {@code i} and episode {@code i}'s seed derive from it
 * @param turnTimeoutMillis the most an agent's answer or an environment step may take (default 300 s: above the
 *     {@code openai} agent's default request timeout of 60 s, so that its client can cut a hung request, retry it
 *     and wait out an open circuit breaker within one turn)
 * @param episodeTimeoutMillis the most a whole episode may take (default 10 min)
 * @param maxTurns the runtime's own cap on turns (in a match, on steps), above the environment's (default 1000); an
 *     episode that reaches it is recorded as truncated
 * @param blockingEnvironment run a synchronous environment's steps on worker threads even if its provider
 *     does not declare it blocking
 * @param groupSize episodes per task (G): episodes {@code i*G .. i*G+G-1} play task {@code i} with their
 *     own seeds, and are scored together; {@code episodes} must be a multiple of it (default 1)
 */
public record RolloutOptions(
    int episodes,
    int concurrency,
    long seed,
    long turnTimeoutMillis,
    long episodeTimeoutMillis,
    int maxTurns,
    boolean blockingEnvironment,
    int groupSize) {
  public RolloutOptions {
    if (episodes < 1) {
      throw new IllegalArgumentException("episodes must be at least 1, was " + episodes);
    }
    if (concurrency < 1 || concurrency > 1_000_000) {
      throw new IllegalArgumentException("concurrency must be between 1 and 1000000, was " + concurrency);
    }
    if (turnTimeoutMillis < 1) {
      throw new IllegalArgumentException("turnTimeoutMillis must be at least 1, was " + turnTimeoutMillis);
    }
    if (episodeTimeoutMillis < 1) {
      throw new IllegalArgumentException("episodeTimeoutMillis must be at least 1, was " + episodeTimeoutMillis);
    }
    if (groupSize < 1) {
      throw new IllegalArgumentException("groupSize must be at least 1, was " + groupSize);
    }
    if (episodes % groupSize != 0) {
      throw new IllegalArgumentException(
          "episodes (" + episodes + ") must be a multiple of groupSize (" + groupSize + ")");
    }
    if (maxTurns < 1) {
      throw new IllegalArgumentException("maxTurns must be at least 1, was " + maxTurns);
    }
  }

  /** The default turn timeout: 300 s (see {@code turnTimeoutMillis}). */
  public static final long DEFAULT_TURN_TIMEOUT_MILLIS = 300_000;

  /** {@code episodes} episodes, {@code concurrency} at once, with the default limits. */
  public static RolloutOptions of(int episodes, int concurrency, long seed) {
    return new RolloutOptions(episodes, concurrency, seed, DEFAULT_TURN_TIMEOUT_MILLIS, 600_000, 1_000, false, 1);
  }

  public RolloutOptions withTimeouts(long turnMillis, long episodeMillis) {
    return new RolloutOptions(episodes, concurrency, seed, turnMillis, episodeMillis, maxTurns, blockingEnvironment,
        groupSize);
  }

  public RolloutOptions withMaxTurns(int cap) {
    return new RolloutOptions(episodes, concurrency, seed, turnTimeoutMillis, episodeTimeoutMillis, cap,
        blockingEnvironment, groupSize);
  }

  public RolloutOptions withBlockingEnvironment(boolean blocking) {
    return new RolloutOptions(episodes, concurrency, seed, turnTimeoutMillis, episodeTimeoutMillis, maxTurns,
        blocking, groupSize);
  }

  /** {@code size} episodes per task, scored together. */
  public RolloutOptions withGroupSize(int size) {
    return new RolloutOptions(episodes, concurrency, seed, turnTimeoutMillis, episodeTimeoutMillis, maxTurns,
        blockingEnvironment, size);
  }
}
