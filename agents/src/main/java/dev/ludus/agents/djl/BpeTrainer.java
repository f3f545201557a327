package dev.ludus.agents.djl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;

/**
 * Learns byte-level BPE merges from texts, greedily by pair frequency (Sennrich et al. 2016; GPT-2's byte
 * level). The texts are cut into pieces by {@link ByteLevel#PIECES}; each distinct piece is a word of byte
 * tokens weighted by how often it occurs; each step merges the most frequent adjacent pair of tokens into a
 * new token, in every word, until the vocabulary reaches its target size or no pair occurs at least
 * {@link #MIN_FREQUENCY} times. Ties go to the pair whose left, then right, token id is smallest, so the result
 * depends only on the multiset of pieces (not on the order of the texts or on hashing).
 *
 * <p>Design note: pair counts are kept up to date incrementally (only the words that hold the merged pair
 * are recounted), and the most frequent pair comes from a priority queue with lazy deletion: every count
 * change pushes the pair's new count, and a popped entry whose count is no longer current is dropped.
 *
 * <p>Stateless; {@link #train} is thread-safe.
 */
final class BpeTrainer {
  /** A pair must occur this often to be merged (a pair seen once is memorized text, not structure). */
  static final int MIN_FREQUENCY = 2;

  /** The merges learned, in order: pair {@code i} becomes token {@code firstId + i}. */
  record Merges(List<int[]> pairs) {}

  private BpeTrainer() {}

  /**
   * The merges for {@code texts}, over base tokens where byte {@code b} has id {@code firstByteId + b}; at most
   * {@code maxMerges} of them.
   */
  static Merges train(List<String> texts, int firstByteId, int maxMerges) {
    return train(texts, firstByteId, maxMerges, null);
  }

  /**
   * {@link #train(List, int, int)} over the pieces {@link ByteLevel#pieces(String, java.util.regex.Pattern)} cuts
   * with {@code cells} (null for none): no merge joins two grid cells.
   */
  static Merges train(List<String> texts, int firstByteId, int maxMerges, java.util.regex.Pattern cells) {
    Map<String, Integer> counts = new TreeMap<>();
    for (String text : texts) {
      for (String piece : ByteLevel.pieces(text, cells)) {
        counts.merge(piece, 1, Integer::sum);
      }
    }
    int n = counts.size();
    int[][] words = new int[n][];
    int[] weight = new int[n];
    int w = 0;
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      byte[] bytes = ByteLevel.bytes(e.getKey());
      int[] ids = new int[bytes.length];
      for (int i = 0; i < bytes.length; i++) {
        ids[i] = firstByteId + (bytes[i] & 0xFF);
      }
      words[w] = ids;
      weight[w++] = e.getValue();
    }
    Map<Long, Long> pairCount = new HashMap<>();
    Map<Long, Set<Integer>> where = new HashMap<>();
    for (int i = 0; i < n; i++) {
      count(words[i], weight[i], i, pairCount, where);
    }
    PriorityQueue<long[]> queue = new PriorityQueue<>(BpeTrainer::order);
    pairCount.forEach((pair, c) -> queue.add(new long[] {c, pair}));
    List<int[]> merges = new ArrayList<>();
    int nextId = firstByteId + 256;
    while (merges.size() < maxMerges && !queue.isEmpty()) {
      long[] top = queue.poll();
      long pair = top[1];
      Long current = pairCount.get(pair);
      if (current == null || current != top[0]) {
        continue; // stale: the count changed since this entry was pushed
      }
      if (current < MIN_FREQUENCY) {
        break;
      }
      int left = (int) (pair >>> 32);
      int right = (int) pair;
      int merged = nextId++;
      merges.add(new int[] {left, right});
      Set<Long> changed = new HashSet<>();
      Set<Integer> holders = where.remove(pair);
      for (int i : holders == null ? Set.<Integer>of() : holders) {
        int[] merged2 = merge(words[i], left, right, merged);
        if (merged2 == words[i]) {
          continue;
        }
        uncount(words[i], weight[i], pairCount, changed);
        words[i] = merged2;
        count(words[i], weight[i], i, pairCount, where);
        addPairs(words[i], changed);
      }
      pairCount.remove(pair);
      for (long p : changed) {
        Long c = pairCount.get(p);
        if (c != null && c > 0 && p != pair) {
          queue.add(new long[] {c, p});
        }
      }
    }
    return new Merges(List.copyOf(merges));
  }

  /** Higher count first, then the smaller left id, then the smaller right id. */
  private static int order(long[] a, long[] b) {
    int byCount = Long.compare(b[0], a[0]);
    return byCount != 0 ? byCount : Long.compare(a[1], b[1]);
  }

  static long key(int left, int right) {
    return ((long) left << 32) | (right & 0xFFFFFFFFL);
  }

  /** {@code word} with every occurrence of {@code (left, right)} merged, left to right; the same array if none. */
  static int[] merge(int[] word, int left, int right, int merged) {
    int[] out = null;
    int o = 0;
    for (int i = 0; i < word.length; i++) {
      if (i + 1 < word.length && word[i] == left && word[i + 1] == right) {
        if (out == null) {
          out = new int[word.length - 1];
          System.arraycopy(word, 0, out, 0, i);
          o = i;
        }
        out[o++] = merged;
        i++;
      } else if (out != null) {
        out[o++] = word[i];
      }
    }
    return out == null ? word : java.util.Arrays.copyOf(out, o);
  }

  private static void count(int[] word, int weight, int index, Map<Long, Long> pairCount,
      Map<Long, Set<Integer>> where) {
    for (int i = 0; i + 1 < word.length; i++) {
      long k = key(word[i], word[i + 1]);
      pairCount.merge(k, (long) weight, Long::sum);
      where.computeIfAbsent(k, x -> new HashSet<>()).add(index);
    }
  }

  private static void uncount(int[] word, int weight, Map<Long, Long> pairCount, Set<Long> changed) {
    for (int i = 0; i + 1 < word.length; i++) {
      long k = key(word[i], word[i + 1]);
      pairCount.merge(k, (long) -weight, Long::sum);
      changed.add(k);
    }
  }

  private static void addPairs(int[] word, Set<Long> changed) {
    for (int i = 0; i + 1 < word.length; i++) {
      changed.add(key(word[i], word[i + 1]));
    }
  }
}
