package dev.ludus.agents.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The key/value caches of conversations across turns: after a turn, the keys and values of every token the model
 * read or wrote (prompt plus output), so that the conversation's next turn, whose prompt renders the same history
 * and then the new messages, computes only its new tokens.
 *
 * <p>Design: one entry per conversation (an episode, or one seat of a match), keyed by the request's episode id and
 * seat. A lookup takes the entry out of the cache, so an entry in use by a batch can never be evicted under it; the
 * generator puts the conversation's new entry back after the batch. Reuse is decided on token ids, never assumed:
 * the prompt's longest common prefix with the cached ids is reused (all of them on a hit; a leading part when the
 * previous reply re-tokenized differently), and the rest is computed. An entry is only used under the policy
 * version that computed it: the first batch after an update drops every entry, because the log-probs a trace
 * records must be exactly the current policy's. A prompt cut from the left to fit the context shifts every position,
 * so it neither uses nor leaves an entry.
 *
 * <p>Release: when the runtime reports an episode ended ({@link dev.ludus.api.Agent#episodeEnded}), {@link #release}
 * closes its entries (every seat's) at once, and an entry a late turn of that episode puts afterwards is closed
 * instead of kept. Bounds, for episodes whose end nobody reports: at most {@code maxEntries} entries and {@code
 * maxBytes} tensor bytes, evicting the least recently used first, and entries idle for longer than {@code idle} are
 * dropped at the next batch. Least-recently-used is the right order for episodes (a conversation that just played
 * is alive; one that ended is never asked for again), which is why this is a small access-ordered map rather than
 * Caffeine, whose frequency-based admission favours entries used many times (finished episodes' conversations) over
 * a new episode's first entry. A dropped entry's arrays are closed at once.
 *
 * <p>Thread-safety: every method is synchronized and none computes anything on the model; the generator calls it
 * from its one thread, {@link #release} comes from the runtime's event loops, {@link #statistics} and {@link #close}
 * from any thread. Life-cycle: the owner (the agent) closes it after its generator stopped; closing is idempotent,
 * and an entry put after closing is closed at once.
 */
final class KvCache implements AutoCloseable {
  /** Entries idle longer than this are dropped at the next batch. */
  static final Duration DEFAULT_IDLE = Duration.ofMinutes(10);

  /** Why a conversation has no entry, remembered for its next lookup. */
  private enum Dropped { VERSION, EVICTED, ENDED }

  /**
   * One conversation's cache: the token ids it covers and, per layer, the keys then the values of those tokens,
   * each (1, heads, ids.length, width / heads), on a manager of its own that closing the entry closes.
   */
  static final class Entry implements AutoCloseable {
    private final int[] ids;
    private final NDList arrays;
    private final NDManager manager;
    private final long version;
    private final long bytes;
    private long lastUsed;

    Entry(int[] ids, NDList arrays, NDManager manager, long version) {
      this.ids = ids;
      this.arrays = arrays;
      this.manager = manager;
      this.version = version;
      long b = 0;
      for (NDArray a : arrays) {
        b += a.getShape().size() * a.getDataType().getNumOfBytes();
      }
      this.bytes = b;
    }

    int[] ids() {
      return ids;
    }

    NDList arrays() {
      return arrays;
    }

    long bytes() {
      return bytes;
    }

    @Override
    public void close() {
      manager.close();
    }
  }

  /**
   * A lookup's result: the entry, taken out of the cache (the caller closes it), and how many of its leading
   * tokens the prompt shares and reuses (at least 1, below the prompt's length).
   */
  record Hit(Entry entry, int length) {}

  private final int maxEntries;
  private final long maxBytes;
  private final long idleNanos;
  private final LongSupplier clock;
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  /** Why recent conversations lost their entry, the most recent {@code maxEntries} of them. */
  private final LinkedHashMap<String, Dropped> dropped = new LinkedHashMap<>();
  private long bytes;
  private long version = Long.MIN_VALUE;
  private boolean closed;
  private long lookups;
  private long hits;
  private long prefixMismatches;
  private long firstTurns;
  private long versionChanges;
  private long evicted;
  private long cutPrompts;
  private long released;
  private long promptTokens;
  private long reusedTokens;

  KvCache(int maxEntries, long maxBytes) {
    this(maxEntries, maxBytes, DEFAULT_IDLE, System::nanoTime);
  }

  KvCache(int maxEntries, long maxBytes, Duration idle, LongSupplier clock) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1, was " + maxEntries);
    }
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be at least 1, was " + maxBytes);
    }
    if (idle.isNegative() || idle.isZero()) {
      throw new IllegalArgumentException("idle must be positive, was " + idle);
    }
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
    this.idleNanos = idle.toNanos();
    this.clock = clock;
  }

  /**
   * Called at the start of each batch with the policy version it runs under: after an update, drops every entry
   * (computed by an older policy); drops entries idle for too long.
   */
  synchronized void startBatch(long policyVersion) {
    if (policyVersion != version) {
      List<String> keys = new ArrayList<>(entries.keySet());
      for (String k : keys) {
        drop(k, Dropped.VERSION);
      }
      version = policyVersion;
    }
    long now = clock.getAsLong();
    Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
    List<String> idle = new ArrayList<>();
    while (it.hasNext()) {
      Map.Entry<String, Entry> e = it.next(); // least recently used first
      if (now - e.getValue().lastUsed <= idleNanos) {
        break;
      }
      idle.add(e.getKey());
    }
    idle.forEach(k -> drop(k, Dropped.EVICTED));
  }

  /**
   * Takes {@code key}'s entry out of the cache and says how much of it {@code prompt} reuses, counting the outcome.
   * Null when nothing is reused (the entry, if any, is then closed).
   *
   * @param cut whether the prompt was cut from the left to fit the context
   * @param policyVersion the version the batch runs under
   */
  synchronized Hit lookup(String key, int[] prompt, boolean cut, long policyVersion) {
    lookups++;
    Entry e = entries.remove(key);
    Dropped why = dropped.remove(key);
    if (dropped.get(episodeOf(key)) == Dropped.ENDED) {
      dropped.remove(episodeOf(key)); // a new turn under an ended episode's id: the id is played again
    }
    if (e != null) {
      bytes -= e.bytes;
    }
    if (cut) {
      cutPrompts++;
      closeQuietly(e);
      return null;
    }
    if (e == null) {
      if (why == Dropped.VERSION) {
        versionChanges++;
      } else if (why == Dropped.EVICTED) {
        evicted++;
      } else {
        firstTurns++;
      }
      return null;
    }
    if (e.version != policyVersion) {
      versionChanges++;
      e.close();
      return null;
    }
    int common = 0;
    int limit = Math.min(e.ids.length, prompt.length);
    while (common < limit && e.ids[common] == prompt[common]) {
      common++;
    }
    if (common == e.ids.length) {
      hits++;
    } else {
      prefixMismatches++;
    }
    int reuse = Math.min(common, prompt.length - 1); // the prompt's last token must be computed for its logits
    if (reuse < 1) {
      e.close();
      return null;
    }
    return new Hit(e, reuse);
  }

  /** Counts a generated turn's prompt tokens and how many of them were read from the cache. */
  synchronized void countPrompt(int tokens, int reused) {
    promptTokens += tokens;
    reusedTokens += reused;
  }

  /**
   * Keeps {@code entry} as {@code key}'s cache, replacing (and closing) any other, then evicts the least recently
   * used entries while a bound is exceeded. After {@link #close} it closes the entry instead.
   */
  synchronized void put(String key, Entry entry) {
    if (closed || dropped.get(episodeOf(key)) == Dropped.ENDED) {
      entry.close();
      return;
    }
    entry.lastUsed = clock.getAsLong();
    Entry old = entries.put(key, entry);
    dropped.remove(key);
    bytes += entry.bytes;
    if (old != null) {
      bytes -= old.bytes;
      old.close();
    }
    while (!entries.isEmpty() && (entries.size() > maxEntries || bytes > maxBytes)) {
      drop(entries.keySet().iterator().next(), Dropped.EVICTED);
    }
  }

  /**
   * Closes the entries of the conversations of episode {@code episodeId} (the episode's own and each of its seats'),
   * and marks them ended so that an entry a late turn puts is closed rather than kept.
   */
  synchronized void release(String episodeId) {
    if (closed) {
      return;
    }
    String seats = episodeId + DjlLmAgent.SEAT_SEPARATOR;
    List<String> keys = new ArrayList<>();
    for (String k : entries.keySet()) {
      if (k.equals(episodeId) || k.startsWith(seats)) {
        keys.add(k);
      }
    }
    keys.forEach(k -> drop(k, Dropped.ENDED));
    released += keys.size();
    mark(episodeId, Dropped.ENDED);
  }

  /** The episode a conversation key belongs to (the key without its seat). */
  private static String episodeOf(String key) {
    int seat = key.indexOf(DjlLmAgent.SEAT_SEPARATOR);
    return seat < 0 ? key : key.substring(0, seat);
  }

  private void mark(String key, Dropped why) {
    dropped.put(key, why);
    if (dropped.size() > maxEntries) {
      dropped.remove(dropped.keySet().iterator().next());
    }
  }

  private void drop(String key, Dropped why) {
    Entry e = entries.remove(key);
    if (e != null) {
      bytes -= e.bytes;
      e.close();
      mark(key, why);
    }
  }

  private static void closeQuietly(Entry e) {
    if (e != null) {
      e.close();
    }
  }

  synchronized KvCacheStatistics statistics() {
    return new KvCacheStatistics(lookups, hits, prefixMismatches, firstTurns, versionChanges, evicted, cutPrompts,
        promptTokens, reusedTokens, released, entries.size(), bytes);
  }

  /** Closes every entry; later entries are closed as they are put. Idempotent. */
  @Override
  public synchronized void close() {
    closed = true;
    entries.values().forEach(Entry::close);
    entries.clear();
    dropped.clear();
    bytes = 0;
  }
}
