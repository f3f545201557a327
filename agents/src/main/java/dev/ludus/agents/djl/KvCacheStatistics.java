package dev.ludus.agents.djl;

import java.util.Locale;

/**
 * What a {@code djl-lm} agent's cross-turn key/value cache has done since the agent was built: a consistent
 * snapshot of counters that only grow, and the cache's current size. Every turn whose request names a
 * conversation is one lookup with exactly one outcome: {@code hits + prefixMismatches + firstTurns + versionChanges
 * + evicted + cutPrompts == lookups}.
 *
 * @param lookups turns looked up (each turn of a conversation, while the cache is on)
 * @param hits turns whose prompt began with every token the conversation's cache held, so only the new suffix was
 *     computed
 * @param prefixMismatches turns whose prompt shared only a leading part of the cached tokens (the previous reply
 *     re-tokenized differently, a stop string cut it, the history was rewritten): that shared part was reused and
 *     the rest recomputed
 * @param firstTurns turns with nothing cached for their conversation and no record of a cache dropped (a new
 *     conversation)
 * @param versionChanges turns whose conversation's cache was dropped because the policy was updated since (its
 *     log-probs must be the current policy's)
 * @param evicted turns whose conversation's cache had been evicted: by the entry or byte bound (least recently used
 *     first) or after standing idle
 * @param cutPrompts turns whose prompt was cut from the left to fit the context: positions moved, so nothing was
 *     reused and nothing kept
 * @param promptTokens prompt tokens of every turn generated while the cache is on, looked up or not
 * @param reusedTokens prompt tokens read from the cache instead of being computed
 * @param released conversations whose cache was closed because the runtime reported their episode ended
 * @param entries conversations cached now
 * @param bytes the tensor bytes cached now
 */
public record KvCacheStatistics(long lookups, long hits, long prefixMismatches, long firstTurns, long versionChanges,
    long evicted, long cutPrompts, long promptTokens, long reusedTokens, long released, int entries, long bytes) {
  /** Nothing looked up, nothing cached. */
  public static final KvCacheStatistics NONE = new KvCacheStatistics(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  /** The share of prompt tokens read from the cache; 0 before any prompt. */
  public double reusedShare() {
    return promptTokens == 0 ? 0 : (double) reusedTokens / promptTokens;
  }

  /** One line for logs and benchmarks. */
  public String summary() {
    return String.format(Locale.ROOT,
        "kv cache: %d lookups, %d hits, %d prefix mismatches, %d first turns, %d version changes, %d evicted, "
            + "%d cut; %.1f%% of %d prompt tokens reused; %d released at episode end; %d entries, %.1f MiB",
        lookups, hits, prefixMismatches, firstTurns, versionChanges, evicted, cutPrompts, 100 * reusedShare(),
        promptTokens, released, entries, bytes / (1024.0 * 1024.0));
  }
}
