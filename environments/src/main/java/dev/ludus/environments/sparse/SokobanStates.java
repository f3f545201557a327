package dev.ludus.environments.sparse;

import java.util.Arrays;

/**
 * Sokoban positions packed in a {@code long} for the searches: the player's cell in the lowest byte, then
 * the boxes' cells in ascending order, one byte each (so equal positions pack equally). A level has at most
 * {@value SokobanLevel#MAX_CELLS} cells and {@value SokobanLevel#MAX_BOXES} boxes, so a packed state uses at most 56 bits
 * and is never {@code -1}, which {@link LongSet} uses as its empty slot.
 */
final class SokobanStates {
  private SokobanStates() {}

  static long pack(int player, int[] sortedBoxes) {
    long s = player;
    for (int i = 0; i < sortedBoxes.length; i++) {
      s |= ((long) sortedBoxes[i]) << (8 * (i + 1));
    }
    return s;
  }

  static int player(long state) {
    return (int) (state & 0xFF);
  }

  /** The same boxes with the player moved to {@code cell}. */
  static long withPlayer(long state, int cell) {
    return (state & ~0xFFL) | cell;
  }

  /** Writes the boxes of {@code state} into {@code out} (whose length is the box count), sorted. */
  static void boxes(long state, int[] out) {
    for (int i = 0; i < out.length; i++) {
      out[i] = (int) ((state >>> (8 * (i + 1))) & 0xFF);
    }
  }

  /**
   * Copies {@code sorted} into {@code out} with the box at {@code from} moved to {@code to}, keeping the
   * order.
   */
  static void moveBox(int[] sorted, int from, int to, int[] out) {
    System.arraycopy(sorted, 0, out, 0, sorted.length);
    int i = 0;
    while (out[i] != from) {
      i++;
    }
    out[i] = to;
    while (i > 0 && out[i - 1] > out[i]) {
      int t = out[i - 1];
      out[i - 1] = out[i];
      out[i] = t;
      i--;
    }
    while (i < out.length - 1 && out[i + 1] < out[i]) {
      int t = out[i + 1];
      out[i + 1] = out[i];
      out[i] = t;
      i++;
    }
  }

  /** An open-addressing set of packed states (linear probing, load at most one half). Not thread-safe. */
  static final class LongSet {
    private static final long EMPTY = -1L;
    private long[] table;
    private int size;

    LongSet(int expected) {
      int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
      table = new long[cap];
      Arrays.fill(table, EMPTY);
    }

    int size() {
      return size;
    }

    /** Adds {@code key}; true when it was not there. */
    boolean add(long key) {
      if (2 * (size + 1) > table.length) {
        grow();
      }
      if (insert(table, key)) {
        size++;
        return true;
      }
      return false;
    }

    boolean contains(long key) {
      int mask = table.length - 1;
      for (int i = hash(key) & mask; ; i = (i + 1) & mask) {
        long k = table[i];
        if (k == key) {
          return true;
        }
        if (k == EMPTY) {
          return false;
        }
      }
    }

    private static boolean insert(long[] table, long key) {
      int mask = table.length - 1;
      for (int i = hash(key) & mask; ; i = (i + 1) & mask) {
        long k = table[i];
        if (k == key) {
          return false;
        }
        if (k == EMPTY) {
          table[i] = key;
          return true;
        }
      }
    }

    private void grow() {
      long[] bigger = new long[table.length * 2];
      Arrays.fill(bigger, EMPTY);
      for (long k : table) {
        if (k != EMPTY) {
          insert(bigger, k);
        }
      }
      table = bigger;
    }

    private static int hash(long key) {
      long z = (key ^ (key >>> 33)) * 0xFF51AFD7ED558CCDL; // MurmurHash3's fmix64
      z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
      return (int) (z ^ (z >>> 33));
    }
  }

  /** A growable list of packed states. Not thread-safe. */
  static final class LongList {
    private long[] items;
    private int size;

    LongList(int capacity) {
      items = new long[Math.max(16, capacity)];
    }

    void add(long value) {
      if (size == items.length) {
        items = Arrays.copyOf(items, size * 2);
      }
      items[size++] = value;
    }

    long get(int index) {
      return items[index];
    }

    int size() {
      return size;
    }
  }
}
