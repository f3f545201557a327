package dev.ludus.runner.scoring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Token sequences laid out for as little forward-pass work as their shared prefixes allow: one prefix tree (trie) of
 * all of them, cut into subtrees that fit a row (each with its path from the root, so every sequence lies whole in
 * one row), packed first-fit decreasing into rows, and the rows grouped into passes of similar length. Each pass is a
 * {@link PrefixPacking}, whose tokens attend to their ancestors only, at their own positions: each sequence's tokens
 * see exactly what they would see alone.
 *
 * <p>Why: a pass pads its rows to the longest and computes attention over every (row, query, key) cell; rows that
 * mix long and short sequences, or fill half their width, spend most of that on padding and on keys a query may not
 * see. The plan chooses the row cap and the passes by a cost model of one pass: {@code rows · T · (linear + T + L)
 * + fixed}, where T is the pass's width, L the common opening's length (its keys are every row's), {@code linear} the
 * per-token cost of the dense layers in units of one attention key ({@link #LINEAR_PER_WIDTH} · width) and
 * {@code fixed} a pass's fixed cost ({@link #PASS_COST}). Measured on one intra-op thread, a 2-layer width-64 model:
 * the dense layers cost about 140 attention keys a token, a pass about 1 ms, or 40,000 keys of 64 rows.
 *
 * <p>Immutable; {@link #of} is stateless.
 *
 * @param passes the passes, each a packing of some of the sequences
 * @param members for each pass, the index (in the planned list) of each of its packing's sequences, in order
 * @param cost the estimated cost of all the passes, in attention keys
 */
record PackingPlan(List<PrefixPacking> passes, List<int[]> members, double cost) {
  /** The dense layers' cost of a token in attention keys, per unit of model width (measured: about 2.2). */
  static final double LINEAR_PER_WIDTH = 2.0;
  /** A pass's fixed cost (operations, arrays, the call into the engine) in attention keys of a width-64 model. */
  static final double PASS_COST = 40_000;
  /** The row caps tried; a sequence longer than the cap gets a row of its own as long as it. */
  private static final int[] CAPS = {16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024};

  /**
   * The plan for {@code sequences} (each non-empty) after an opening of {@code opening} tokens, for a model of width
   * {@code width}; row caps above {@code maxRowTokens} are not tried (unless a sequence is longer).
   *
   * @throws IllegalArgumentException if a sequence is empty or {@code maxRowTokens} is below 1
   */
  static PackingPlan of(List<int[]> sequences, int opening, int width, int maxRowTokens) {
    if (maxRowTokens < 1) {
      throw new IllegalArgumentException("maxRowTokens must be >= 1, was " + maxRowTokens);
    }
    Trie trie = new Trie(sequences);
    double linear = LINEAR_PER_WIDTH * width;
    double fixed = PASS_COST * 64.0 / width;
    double best = Double.MAX_VALUE;
    List<int[]> bestRows = null;
    int[][] bestPasses = null;
    for (int cap : CAPS) {
      if (cap > maxRowTokens && bestRows != null) {
        break;
      }
      List<Unit> units = trie.units(cap);
      List<int[]> rows = firstFitDecreasing(units, cap); // {size, unit index...}
      rows.sort(Comparator.comparingInt((int[] r) -> r[0]).reversed());
      int[] sizes = rows.stream().mapToInt(r -> r[0]).toArray();
      int[][] passes = passes(sizes, opening, linear, fixed);
      double cost = 0;
      for (int[] p : passes) {
        cost += cost(p[1] - p[0], sizes[p[0]], opening, linear, fixed);
      }
      if (cost < best) {
        best = cost;
        List<int[]> rowUnits = new ArrayList<>();
        for (int[] r : rows) {
          int[] members = new int[r.length - 1];
          for (int k = 1; k < r.length; k++) {
            members[k - 1] = r[k];
          }
          rowUnits.add(members);
        }
        bestRows = new ArrayList<>();
        IntBuffer seqs = new IntBuffer();
        for (int[] members : rowUnits) {
          seqs.clear();
          for (int u : members) {
            for (int s : units.get(u).sequences) {
              seqs.add(s);
            }
          }
          bestRows.add(seqs.toArray());
        }
        bestPasses = passes;
      }
    }
    List<PrefixPacking> packings = new ArrayList<>();
    List<int[]> members = new ArrayList<>();
    for (int[] p : bestPasses) {
      List<int[]> rowSeqs = bestRows.subList(p[0], p[1]);
      int count = rowSeqs.stream().mapToInt(r -> r.length).sum();
      int[] m = new int[count];
      int at = 0;
      for (int[] r : rowSeqs) {
        System.arraycopy(r, 0, m, at, r.length);
        at += r.length;
      }
      packings.add(trie.layout(rowSeqs));
      members.add(m);
    }
    return new PackingPlan(packings, members, best);
  }

  /** One pass's estimated cost: {@code rows · T · (linear + T + L) + fixed}. */
  static double cost(int rows, int width, int opening, double linear, double fixed) {
    return (double) rows * width * (linear + width + opening) + fixed;
  }

  /**
   * Rows (sorted by size, longest first) grouped into passes of consecutive rows, each as wide as its first, with the
   * least total {@link #cost} (dynamic programming over where passes start). Each pass is {@code {from, to}}.
   */
  static int[][] passes(int[] sizes, int opening, double linear, double fixed) {
    int r = sizes.length;
    double[] best = new double[r + 1]; // best[i]: rows i.. in passes
    int[] next = new int[r + 1];
    for (int i = r - 1; i >= 0; i--) {
      best[i] = Double.MAX_VALUE;
      for (int j = i + 1; j <= r; j++) {
        double c = cost(j - i, sizes[i], opening, linear, fixed) + best[j];
        if (c < best[i]) {
          best[i] = c;
          next[i] = j;
        }
      }
    }
    List<int[]> out = new ArrayList<>();
    for (int i = 0; i < r; i = next[i]) {
      out.add(new int[] {i, next[i]});
    }
    return out.toArray(new int[0][]);
  }

  /**
   * Units packed first-fit decreasing into rows of {@code cap} nodes (a unit larger than that opens a row of its own
   * size). A row's size is the sum of its units' sizes: an upper bound, since units may share their paths' nodes.
   * Each row is {@code {size, unit...}}.
   */
  private static List<int[]> firstFitDecreasing(List<Unit> units, int cap) {
    Integer[] order = new Integer[units.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Integer.compare(units.get(b).size, units.get(a).size));
    List<int[]> rows = new ArrayList<>();
    List<List<Integer>> members = new ArrayList<>();
    int[] sizes = new int[units.size()];
    for (int u : order) {
      int size = units.get(u).size;
      int row = -1;
      for (int k = 0; k < members.size() && size <= cap; k++) {
        if (sizes[k] + size <= cap) {
          row = k;
          break;
        }
      }
      if (row < 0) {
        row = members.size();
        members.add(new ArrayList<>());
      }
      members.get(row).add(u);
      sizes[row] += size;
    }
    for (int k = 0; k < members.size(); k++) {
      int[] r = new int[members.get(k).size() + 1];
      r[0] = sizes[k];
      for (int j = 0; j < members.get(k).size(); j++) {
        r[j + 1] = members.get(k).get(j);
      }
      rows.add(r);
    }
    return rows;
  }

  /** A subtree of the trie with its path from the root: {@code size} nodes, the sequences that end in it. */
  private record Unit(int size, int[] sequences) {}

  /**
   * The prefix tree of all the sequences, its nodes numbered in depth-first order (built from the sequences sorted
   * lexicographically, so a node's subtree is the range {@code [node, node + size)} and a parent precedes its
   * children).
   */
  private static final class Trie {
    final List<int[]> sequences;
    final int[] token;
    final int[] parent;
    final int[] depth;
    final int[] size;
    final int[] end; // each sequence's last node
    /** The sequences that end at each node, as a linked list: first[node], then nextSeq[seq]. */
    final int[] first;
    final int[] nextSeq;
    final int nodes;

    Trie(List<int[]> sequences) {
      this.sequences = sequences;
      int n = sequences.size();
      Integer[] order = new Integer[n];
      long total = 0;
      for (int i = 0; i < n; i++) {
        if (sequences.get(i).length == 0) {
          throw new IllegalArgumentException("sequence " + i + " is empty");
        }
        order[i] = i;
        total += sequences.get(i).length;
      }
      Arrays.sort(order, (a, b) -> Arrays.compare(sequences.get(a), sequences.get(b)));
      int cap = Math.toIntExact(total);
      int[] tok = new int[cap];
      int[] par = new int[cap];
      int[] dep = new int[cap];
      end = new int[n];
      nextSeq = new int[n];
      int count = 0;
      int[] path = new int[0]; // the previous sequence's nodes
      int[] prev = new int[0];
      for (int s : order) {
        int[] seq = sequences.get(s);
        int common = 0;
        int limit = Math.min(prev.length, seq.length);
        while (common < limit && prev[common] == seq[common]) {
          common++;
        }
        int[] p = Arrays.copyOf(path, seq.length);
        for (int j = common; j < seq.length; j++) {
          tok[count] = seq[j];
          par[count] = j == 0 ? -1 : p[j - 1];
          dep[count] = j;
          p[j] = count++;
        }
        end[s] = p[seq.length - 1];
        path = p;
        prev = seq;
      }
      nodes = count;
      token = Arrays.copyOf(tok, count);
      parent = Arrays.copyOf(par, count);
      depth = Arrays.copyOf(dep, count);
      size = new int[count];
      for (int v = count - 1; v >= 0; v--) {
        size[v] += 1;
        if (parent[v] >= 0) {
          size[parent[v]] += size[v];
        }
      }
      first = new int[count];
      Arrays.fill(first, -1);
      for (int i = n - 1; i >= 0; i--) {
        int s = order[i];
        nextSeq[s] = first[end[s]];
        first[end[s]] = s;
      }
    }

    /**
     * The trie cut into units of at most {@code cap} nodes with their paths where it can be: a subtree that fits
     * (its nodes plus its ancestors) is a unit; one that does not is cut at its children, and the sequences that end
     * at its root go with its first child's unit (they are prefixes of it). A leaf is a unit however long its path.
     */
    List<Unit> units(int cap) {
      List<Unit> out = new ArrayList<>();
      IntBuffer carried = new IntBuffer();
      for (int v = 0; v < nodes; v = v + size[v]) { // the root's children
        split(v, cap, carried, out);
      }
      return out;
    }

    private void split(int v, int cap, IntBuffer carried, List<Unit> out) {
      if (size[v] + depth[v] <= cap || size[v] == 1) {
        for (int u = v; u < v + size[v]; u++) {
          for (int s = first[u]; s >= 0; s = nextSeq[s]) {
            carried.add(s);
          }
        }
        out.add(new Unit(size[v] + depth[v], carried.toArray()));
        carried.clear();
        return;
      }
      for (int s = first[v]; s >= 0; s = nextSeq[s]) {
        carried.add(s);
      }
      for (int c = v + 1; c < v + size[v]; c = c + size[c]) { // v's children
        split(c, cap, carried, out);
      }
    }

    /** One pass: each row holds the given sequences' nodes (their paths), parents before children. */
    PrefixPacking layout(List<int[]> rows) {
      int b = rows.size();
      int[] local = new int[nodes];
      Arrays.fill(local, -1);
      int[][] rowNodes = new int[b][];
      int width = 0;
      IntBuffer in = new IntBuffer();
      for (int r = 0; r < b; r++) {
        in.clear();
        for (int s : rows.get(r)) {
          for (int v = end[s]; v >= 0 && local[v] != r; v = parent[v]) {
            local[v] = r; // marks v as in row r (indices assigned below)
            in.add(v);
          }
        }
        int[] sorted = in.toArray();
        Arrays.sort(sorted);
        rowNodes[r] = sorted;
        width = Math.max(width, sorted.length);
      }
      long[] ids = new long[b * width];
      long[] positions = new long[b * width];
      float[] allowed = new float[b * width * width];
      int[][] cells = new int[sequences.size()][];
      int[] index = new int[nodes];
      int seqCount = 0;
      for (int r = 0; r < b; r++) {
        int[] rn = rowNodes[r];
        for (int i = 0; i < width; i++) {
          int q = (r * width + i) * width;
          if (i < rn.length) {
            int v = rn[i];
            index[v] = i;
            ids[r * width + i] = token[v];
            positions[r * width + i] = depth[v];
            if (parent[v] >= 0) { // a parent comes before its children: its mask row is complete
              System.arraycopy(allowed, (r * width + index[parent[v]]) * width, allowed, q, width);
            }
          }
          allowed[q + i] = 1f;
        }
        for (int s : rows.get(r)) {
          int[] c = new int[sequences.get(s).length];
          for (int v = end[s], j = c.length - 1; j >= 0; v = parent[v], j--) {
            c[j] = r * width + index[v];
          }
          cells[seqCount++] = c;
        }
      }
      return new PrefixPacking(b, width, ids, positions, allowed, Arrays.copyOf(cells, seqCount));
    }
  }

  /** A growable list of ints without boxing. */
  private static final class IntBuffer {
    private int[] data = new int[16];
    private int size;

    void add(int v) {
      if (size == data.length) {
        data = Arrays.copyOf(data, 2 * size);
      }
      data[size++] = v;
    }

    void clear() {
      size = 0;
    }

    int[] toArray() {
      return Arrays.copyOf(data, size);
    }
  }
}
