package dev.ludus.runner.scoring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Token sequences packed into few rows of one forward pass, every shared prefix once: each row is a prefix tree
 * (trie) of the sequences put in it, laid out node by node; a node's position is its depth and it attends to its
 * ancestors and itself only, so each sequence's tokens see exactly what they would see alone (same positions, same
 * keys), while the turns of an episode (each conversation so far a prefix of the next) and the episodes of a group
 * (one opening) share their common tokens.
 *
 * <p>Design: the sequences are taken in lexicographic order, so those sharing a prefix land in the same row; a row
 * takes sequences until one more would need more than {@code maxRowTokens} new nodes; a sequence longer than that
 * gets a row of its own. Rows are padded at the end with nodes that attend to themselves only. Attention costs the
 * square of a row's length, so {@code maxRowTokens} trades shared prefixes for quadratic work. Immutable.
 *
 * @param rows the number of rows (B)
 * @param width the length of the longest row (T)
 * @param ids the token ids (B·T), 0 in padding
 * @param positions each node's position id, its depth (B·T)
 * @param allowed 1 where a query node (row, i) may attend to key node (row, j), else 0 ({@code B·T·T}, row-major)
 * @param cells for each sequence, the flat cell {@code row·T + node} of each of its tokens, in order
 */
record PrefixPacking(int rows, int width, long[] ids, long[] positions, float[] allowed, int[][] cells) {

  /** Packs {@code sequences} (each non-empty) into rows of at most {@code maxRowTokens} nodes where possible. */
  static PrefixPacking pack(List<int[]> sequences, int maxRowTokens) {
    if (maxRowTokens < 1) {
      throw new IllegalArgumentException("maxRowTokens must be >= 1, was " + maxRowTokens);
    }
    Integer[] order = new Integer[sequences.size()];
    for (int i = 0; i < order.length; i++) {
      if (sequences.get(i).length == 0) {
        throw new IllegalArgumentException("sequence " + i + " is empty");
      }
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Arrays.compare(sequences.get(a), sequences.get(b)));
    List<Row> rows = new ArrayList<>();
    int[][] nodes = new int[sequences.size()][];
    int[] rowOf = new int[sequences.size()];
    Row row = null;
    for (int s : order) {
      int[] seq = sequences.get(s);
      if (row == null || (row.size() > 0 && row.size() + row.missing(seq) > maxRowTokens)) {
        row = new Row();
        rows.add(row);
      }
      nodes[s] = row.insert(seq);
      rowOf[s] = rows.size() - 1;
    }
    int width = rows.stream().mapToInt(Row::size).max().orElse(0);
    int b = rows.size();
    long[] ids = new long[b * width];
    long[] positions = new long[b * width];
    float[] allowed = new float[b * width * width];
    for (int r = 0; r < b; r++) {
      Row rw = rows.get(r);
      for (int i = 0; i < width; i++) {
        int q = (r * width + i) * width;
        if (i < rw.size()) {
          ids[r * width + i] = rw.token.get(i);
          positions[r * width + i] = rw.depth.get(i);
          int parent = rw.parent.get(i);
          if (parent >= 0) { // a parent comes before its children: its mask row is complete
            System.arraycopy(allowed, (r * width + parent) * width, allowed, q, width);
          }
        }
        allowed[q + i] = 1f;
      }
    }
    int[][] cells = new int[sequences.size()][];
    for (int s = 0; s < cells.length; s++) {
      cells[s] = new int[nodes[s].length];
      for (int j = 0; j < nodes[s].length; j++) {
        cells[s][j] = rowOf[s] * width + nodes[s][j];
      }
    }
    return new PrefixPacking(b, width, ids, positions, allowed, cells);
  }

  /** The tokens (nodes) laid out, over the tokens the sequences have in all: below 1 when prefixes are shared. */
  double density(List<int[]> sequences) {
    long total = sequences.stream().mapToLong(s -> s.length).sum();
    return total == 0 ? 1 : (double) rows * width / total;
  }

  /** One row's prefix tree, its nodes in insertion order (a parent before its children). */
  private static final class Row {
    final List<Integer> token = new ArrayList<>();
    final List<Integer> parent = new ArrayList<>();
    final List<Integer> depth = new ArrayList<>();
    final Map<Long, Integer> children = new HashMap<>();

    int size() {
      return token.size();
    }

    /** How many nodes inserting {@code seq} would add. */
    int missing(int[] seq) {
      int at = -1;
      for (int j = 0; j < seq.length; j++) {
        Integer next = children.get(key(at, seq[j]));
        if (next == null) {
          return seq.length - j;
        }
        at = next;
      }
      return 0;
    }

    /** Inserts {@code seq}; returns the node of each of its tokens. */
    int[] insert(int[] seq) {
      int[] path = new int[seq.length];
      int at = -1;
      for (int j = 0; j < seq.length; j++) {
        long k = key(at, seq[j]);
        Integer next = children.get(k);
        if (next == null) {
          next = token.size();
          token.add(seq[j]);
          parent.add(at);
          depth.add(j);
          children.put(k, next);
        }
        path[j] = next;
        at = next;
      }
      return path;
    }

    private static long key(int parent, int token) {
      return ((long) parent << 32) ^ (token & 0xffffffffL);
    }
  }
}
