package dev.ludus.agents.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;

/**
 * Sequences left-padded to one width, as the ids (B, T) and attention mask (B, T) of one batched forward pass.
 *
 * @param rows the sequences
 * @param width the longest length
 * @param padId the id written in padding positions
 */
record Padded(List<int[]> rows, int width, int padId) {

  /**
   * {@code rows} left-padded with {@code padId}.
   *
   * @throws IllegalArgumentException if there is no sequence or every one is empty
   */
  static Padded left(List<int[]> rows, int padId) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("no sequences");
    }
    int width = rows.stream().mapToInt(r -> r.length).max().orElse(0);
    if (width == 0) {
      throw new IllegalArgumentException("every sequence is empty");
    }
    return new Padded(rows, width, padId);
  }

  /** The padding positions before row {@code row}'s first token. */
  int pad(int row) {
    return width - rows.get(row).length;
  }

  /** The ids (B, T), int64. */
  NDArray ids(NDManager m) {
    long[] ids = new long[rows.size() * width];
    Arrays.fill(ids, padId);
    for (int b = 0; b < rows.size(); b++) {
      int[] r = rows.get(b);
      for (int j = 0; j < r.length; j++) {
        ids[b * width + pad(b) + j] = r[j];
      }
    }
    return m.create(ids, new Shape(rows.size(), width));
  }

  /** The attention mask (B, T): 1 for real tokens, 0 for padding. */
  NDArray mask(NDManager m) {
    float[] mask = new float[rows.size() * width];
    for (int b = 0; b < rows.size(); b++) {
      Arrays.fill(mask, b * width + pad(b), (b + 1) * width, 1f);
    }
    return m.create(mask, new Shape(rows.size(), width));
  }
}
