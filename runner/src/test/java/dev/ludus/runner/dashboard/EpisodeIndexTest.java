package dev.ludus.runner.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The episode index: a large store is indexed a step at a time, and a line longer than a step still whole. */
class EpisodeIndexTest {
  @Test
  void aStoreLargerThanTheBudgetIsIndexedOverSeveralStepsToTheSameCounts(@TempDir Path dir) {
    DashboardFixtures.episodes(dir, 0, 100);
    EpisodeIndex stepwise = new EpisodeIndex(dir.resolve("episodes.jsonl"));
    List<Integer> counts = new ArrayList<>();
    EpisodeIndex.Progress p;
    do {
      p = stepwise.advance(4096);
      counts.add(p.episodes());
    } while (p.pendingBytes() > 0 && counts.size() < 1000);
    assertTrue(counts.get(0) > 0 && counts.get(0) < 100, "the first step indexes part of the store: " + counts);
    assertEquals(100, counts.get(counts.size() - 1));
    assertEquals("guess-number", p.env());
    EpisodeIndex whole = new EpisodeIndex(dir.resolve("episodes.jsonl"));
    assertEquals(whole.stats(), stepwise.stats(), "stepwise and at once count the same");
  }

  @Test
  void aLineLongerThanTheBudgetIsStillReadWhole(@TempDir Path dir) throws Exception {
    DashboardFixtures.episodes(dir, 0, 3);
    long lineLength = Files.readAllLines(dir.resolve("episodes.jsonl")).get(0).length();
    EpisodeIndex index = new EpisodeIndex(dir.resolve("episodes.jsonl"));
    assertEquals(1, index.advance(lineLength / 4).episodes(), "one line per step when a step is shorter than a line");
    assertEquals(2, index.advance(1).episodes());
    assertEquals(3, index.advance(1).episodes());
    assertEquals(0, index.advance(1).pendingBytes());
  }
}
