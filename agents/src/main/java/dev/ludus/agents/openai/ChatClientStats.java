package dev.ludus.agents.openai;

import dev.ludus.api.chat.ChatEndpoint;
import dev.ludus.api.chat.ChatFailureKind;
import java.util.Map;

/**
 * What one endpoint's shared client has done so far, over all its users (agents, simulated users, judges). A
 * snapshot; immutable.
 *
 * @param endpoint the endpoint
 * @param requests calls of {@code complete}
 * @param attempts HTTP requests sent (retries included; cache hits and fast failures excluded)
 * @param retries attempts after the first of a request
 * @param completions requests answered with a completion
 * @param failures requests answered with a failure
 * @param failuresByKind failures by kind
 * @param maxInFlight the most requests in flight at once (at most the endpoint's {@code maxConcurrency})
 * @param cache the cache of deterministic requests
 * @param circuit the circuit breaker's state now: {@code closed}, {@code open} or {@code half-open}
 * @param breakerOpenings how often the circuit opened (a failed trial re-opening it counts again)
 * @param breakerWaits how often a request waited for the open circuit (instead of failing)
 * @param maxBreakerWaiting the most requests waiting for the open circuit at once
 */
public record ChatClientStats(ChatEndpoint endpoint, long requests, long attempts, long retries, long completions,
    long failures, Map<ChatFailureKind, Long> failuresByKind, int maxInFlight, Cache cache, String circuit,
    long breakerOpenings, long breakerWaits, int maxBreakerWaiting) {

  public ChatClientStats {
    failuresByKind = Map.copyOf(failuresByKind);
  }

  /**
   * The cache's counters.
   *
   * @param hits lookups answered from the cache or joined to an identical request in flight
   * @param misses lookups sent to the server
   * @param evictions completions evicted to stay within {@code cacheSize}
   * @param size completions cached now
   * @param enabled whether the endpoint caches at all ({@code cacheSize > 0})
   */
  public record Cache(long hits, long misses, long evictions, long size, boolean enabled) {}
}
