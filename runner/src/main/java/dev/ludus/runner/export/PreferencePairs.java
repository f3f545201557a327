package dev.ludus.runner.export;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.ludus.api.Episode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Preference pairs mined within groups (episodes of one batch on one task, {@link Rows#groupId}), in two passes over
 * the run so that only small per-episode facts and the halves of unfinished pairs are ever held.
 *
 * <p>An episode's outcome is its success, then its shaped return (the ledger's sum; the environment's return when it
 * was not shaped). In each group, sorted best first, the best is paired with the worst, the second with the second
 * worst, and so on: every episode is in at most one pair, the higher outcome is chosen, and a pair whose outcomes are
 * equal is skipped (a tie says nothing about which is better). A pair whose episodes did not open the same way (the
 * prompt is shared in these formats) is skipped too. Not thread-safe: one export.
 */
final class PreferencePairs {
  /** One side of a pair, as it will be written. */
  record Half(String id, ArrayNode opening, ArrayNode continuation) {}

  /** A mined pair, ready to write. */
  record Pair(Half chosen, Half rejected) {}

  private record Candidate(long index, boolean success, double score) {}

  private record Slot(int pair, boolean chosen) {}

  private static final Comparator<Candidate> BEST_FIRST = Comparator.comparing(Candidate::success)
      .thenComparingDouble(Candidate::score).reversed();

  private final Map<String, List<Candidate>> groups = new LinkedHashMap<>();
  private final Map<Long, Slot> slots = new HashMap<>();
  private final Map<Integer, Half> waiting = new HashMap<>();
  private long ties;
  private long differentOpenings;
  private int pairs;

  /** Pass 1: episode number {@code index} (in file order, counting every episode) was taken by the filter. */
  void offer(long index, Episode e) {
    groups.computeIfAbsent(Rows.groupId(e), g -> new ArrayList<>())
        .add(new Candidate(index, e.success(), Rows.shapedReturn(e)));
  }

  /** Between the passes: pairs every group's episodes. */
  void mine() {
    for (List<Candidate> g : groups.values()) {
      g.sort(BEST_FIRST);
      for (int i = 0, j = g.size() - 1; i < j; i++, j--) {
        if (BEST_FIRST.compare(g.get(i), g.get(j)) == 0) {
          ties += (j - i + 1) / 2; // sorted: every pair inside this one ties too
          break;
        }
        slots.put(g.get(i).index(), new Slot(pairs, true));
        slots.put(g.get(j).index(), new Slot(pairs, false));
        pairs++;
      }
    }
    groups.clear();
  }

  /** Pass 2: episode number {@code index}; the pair's row once both of its episodes were seen. */
  Optional<Pair> accept(long index, Episode e) {
    Slot slot = slots.remove(index);
    if (slot == null) {
      return Optional.empty();
    }
    Half half = new Half(e.id(), Rows.opening(e), Rows.continuationMessages(e));
    Half other = waiting.remove(slot.pair());
    if (other == null) {
      waiting.put(slot.pair(), half);
      return Optional.empty();
    }
    Half chosen = slot.chosen() ? half : other;
    Half rejected = slot.chosen() ? other : half;
    if (!chosen.opening().equals(rejected.opening())) {
      differentOpenings++;
      return Optional.empty();
    }
    return Optional.of(new Pair(chosen, rejected));
  }

  int pairs() {
    return pairs;
  }

  long ties() {
    return ties;
  }

  long differentOpenings() {
    return differentOpenings;
  }
}
