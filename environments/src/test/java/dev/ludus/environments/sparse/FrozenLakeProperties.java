package dev.ludus.environments.sparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

class FrozenLakeProperties {

  /** Checked with a search of its own over the drawn rows, not the map's distance table. */
  @Property(tries = 300)
  void everyGeneratedLakeHasAPathFromStartToGoal(
      @ForAll long seed,
      @ForAll @IntRange(min = 2, max = 16) int size,
      @ForAll @DoubleRange(min = 0.0, max = 1.0) double holeProbability) {
    String[] rows = LakeMap.generate(size, holeProbability, seed).rows();
    assertEquals(size, rows.length);
    assertEquals('S', rows[0].charAt(0));
    assertEquals('G', rows[size - 1].charAt(size - 1));
    boolean[][] seen = new boolean[size][size];
    ArrayDeque<int[]> queue = new ArrayDeque<>();
    queue.add(new int[] {0, 0});
    seen[0][0] = true;
    int[][] moves = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};
    while (!queue.isEmpty()) {
      int[] c = queue.poll();
      for (int[] m : moves) {
        int r = c[0] + m[0];
        int col = c[1] + m[1];
        if (r >= 0 && r < size && col >= 0 && col < size && !seen[r][col] && rows[r].charAt(col) != 'H') {
          seen[r][col] = true;
          queue.add(new int[] {r, col});
        }
      }
    }
    assertTrue(seen[size - 1][size - 1], "no path on\n" + String.join("\n", rows));
  }

  /** Holes appear about as often as configured (checked where rejection sampling barely bites). */
  @Property(tries = 20)
  void holesAppearAtAboutTheConfiguredRate(@ForAll @DoubleRange(min = 0.0, max = 0.25) double holeProbability) {
    int holes = 0;
    int cells = 0;
    for (long seed = 0; seed < 200; seed++) {
      for (String row : LakeMap.generate(8, holeProbability, seed).rows()) {
        for (char c : row.toCharArray()) {
          holes += c == 'H' ? 1 : 0;
          cells++;
        }
      }
    }
    double rate = holes / (double) cells;
    assertTrue(rate <= holeProbability + 0.02 && rate >= holeProbability * 0.7 - 0.02,
        "asked " + holeProbability + ", got " + rate);
  }
}
