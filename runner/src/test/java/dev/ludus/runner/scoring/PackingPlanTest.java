package dev.ludus.runner.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.djl.LanguageModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A packing plan lays every sequence out whole in one row of one pass, at its own positions, attending to its own
 * ancestors only; it fills its rows and gives rows of very different lengths passes of their own; and the values it
 * gives equal each sequence's value scored alone.
 */
class PackingPlanTest {

  /** Episodes as a turn-level scorer sees them: each turn's conversation so far, a prefix of the next but its end. */
  static List<int[]> episodes(Random r, int count, int[] opening, int maxTurns) {
    List<int[]> out = new ArrayList<>();
    for (int e = 0; e < count; e++) {
      int[] so = opening.clone();
      int turns = 1 + r.nextInt(maxTurns);
      for (int t = 0; t < turns; t++) {
        int[] turn = new int[2 + r.nextInt(12)];
        for (int i = 0; i < turn.length; i++) {
          turn[i] = 4 + r.nextInt(40);
        }
        so = concat(so, turn);
        out.add(concat(so, new int[] {2, 3})); // the template's closing marker: not in the next turn
      }
    }
    return out;
  }

  static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** Checks every sequence is laid out whole and each node of it sees exactly its ancestors in its row. */
  static void assertLaidOutExactly(List<int[]> sequences, PackingPlan plan) {
    Set<Integer> seen = new HashSet<>();
    for (int k = 0; k < plan.passes().size(); k++) {
      PrefixPacking p = plan.passes().get(k);
      int[] members = plan.members().get(k);
      assertEquals(members.length, p.cells().length, "a cell list per member of pass " + k);
      for (int i = 0; i < members.length; i++) {
        assertTrue(seen.add(members[i]), "sequence " + members[i] + " is in one pass only");
        int[] seq = sequences.get(members[i]);
        int[] cells = p.cells()[i];
        assertEquals(seq.length, cells.length);
        int row = cells[0] / p.width();
        for (int j = 0; j < seq.length; j++) {
          assertEquals(row, cells[j] / p.width(), "sequence " + members[i] + " lies in one row");
          assertEquals(seq[j], p.ids()[cells[j]], "token " + j + " of sequence " + members[i]);
          assertEquals(j, p.positions()[cells[j]], "a token's position is its index in its sequence");
          // the node's mask row allows its ancestors (this sequence's earlier tokens) and itself, nothing else
          int q = cells[j] - row * p.width();
          int allowed = 0;
          for (int key = 0; key < p.width(); key++) {
            allowed += p.allowed()[(row * p.width() + q) * p.width() + key] > 0 ? 1 : 0;
          }
          assertEquals(j + 1, allowed, "node " + j + " of sequence " + members[i] + " sees its ancestors only");
          for (int a = 0; a <= j; a++) {
            assertEquals(1f, p.allowed()[(row * p.width() + q) * p.width() + cells[a] - row * p.width()]);
          }
        }
      }
    }
    assertEquals(sequences.size(), seen.size(), "every sequence is planned");
  }

  @Test
  void everySequenceLiesWholeInOneRowAndSeesItsAncestorsOnly() {
    Random r = new Random(11);
    for (int count : new int[] {1, 2, 5, 17, 64}) {
      List<int[]> sequences = episodes(r, count, new int[] {1, 7, 7}, 6);
      sequences.add(sequences.get(0).clone()); // a duplicate
      for (int cap : new int[] {8, 48, 192}) {
        assertLaidOutExactly(sequences, PackingPlan.of(sequences, 0, 64, cap));
        assertLaidOutExactly(sequences, PackingPlan.of(sequences, 100, 64, cap));
      }
    }
  }

  @Test
  void rowsAreFilledAndShortRowsGetAPassOfTheirOwn() {
    Random r = new Random(5);
    List<int[]> sequences = episodes(r, 64, new int[] {1}, 8);
    PackingPlan plan = PackingPlan.of(sequences, 100, 64, 192);
    long cells = 0;
    Set<Long> nodes = new HashSet<>();
    for (int k = 0; k < plan.passes().size(); k++) {
      PrefixPacking p = plan.passes().get(k);
      cells += (long) p.rows() * p.width();
      for (int[] c : p.cells()) {
        for (int cell : c) {
          nodes.add(((long) k << 32) | cell);
        }
      }
    }
    assertTrue(nodes.size() >= 0.9 * cells, "rows filled: " + nodes.size() + " nodes in " + cells + " cells");
    // one long sequence among short ones: it does not make every row as long as itself
    List<int[]> mixed = new ArrayList<>(episodes(r, 40, new int[] {1}, 1));
    int[] longOne = new int[300];
    Arrays.fill(longOne, 9);
    mixed.add(longOne);
    PackingPlan split = PackingPlan.of(mixed, 0, 64, 64);
    assertTrue(split.passes().size() >= 2, "the long row has a pass of its own: " + split.passes().size());
    assertEquals(300, split.passes().get(0).width());
    assertTrue(split.passes().get(1).width() <= 64, "short rows: " + split.passes().get(1).width());
    assertLaidOutExactly(mixed, split);
  }

  @Test
  void valuesEqualEachSequenceScoredAloneForAnyBatchSize() {
    try (LanguageModel model = LanguageModel.create(new LanguageModel.Spec(2, 16, 2, 64, 48, true), "cpu", 9)) {
      Random r = new Random(3);
      int[] opening = new int[12];
      for (int i = 0; i < opening.length; i++) {
        opening[i] = 4 + r.nextInt(40);
      }
      List<int[]> all = new ArrayList<>();
      for (int[] s : episodes(r, 40, opening, 5)) {
        // truncated as a conversation longer than the context is: its last tokens
        all.add(s.length <= 64 ? s : Arrays.copyOfRange(s, s.length - 64, s.length));
      }
      for (int batch : new int[] {1, 2, 7, 23, 64}) {
        List<int[]> part = all.subList(0, Math.min(batch, all.size()));
        float[] packed = PackedValues.lastValues(model, part, 32);
        for (int i = 0; i < part.size(); i++) {
          float alone = model.stateValues(List.of(part.get(i)))[0];
          assertEquals(alone, packed[i], 1e-4, "sequence " + i + " of a batch of " + batch);
        }
      }
    }
  }
}
