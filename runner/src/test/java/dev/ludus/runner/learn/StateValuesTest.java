package dev.ludus.runner.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.djl.LanguageModel;
import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.Message;
import dev.ludus.api.Task;
import dev.ludus.api.TokenTrace;
import dev.ludus.api.Turn;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StateValuesTest {
  private static final int[] P1 = {1, 5, 9, 6};
  private static final int[] P2 = {1, 5, 9, 6, 10, 11, 5, 12, 6};
  private static final int[] P3 = {1, 5, 13, 6};

  /** An episode whose turn {@code t} was written after {@code prompts[t]} (null: a turn without a trace). */
  private static Episode episode(String id, EpisodeStatus status, int[]... prompts) {
    List<Turn> turns = new ArrayList<>();
    for (int t = 0; t < prompts.length; t++) {
      TokenTrace trace = prompts[t] == null ? null : new TokenTrace(prompts[t], new int[] {10}, new float[] {-1f}, 0);
      turns.add(new Turn(t, Message.assistant("turn " + t), trace, List.of(Message.user("ok")), 1000, false, false,
          null, 0, 0));
    }
    return new Episode(Episode.SCHEMA, id, "test-env", "test-agent", new Task("t", 0, null), 0, status,
        status == EpisodeStatus.FAILED ? "boom" : null, false, 0, List.of(Message.user("go")), List.of(), null,
        turns, List.of(), 0, 0);
  }

  private static double single(LanguageModel m, int[] prompt) {
    return m.stateValues(List.of(prompt))[0];
  }

  @Test
  void eachTurnGetsTheValueOfItsPromptsLastTokenWhateverTheBatchSize() {
    Episode a = episode("a", EpisodeStatus.COMPLETED, P1, P2, P3);
    Episode b = episode("b", EpisodeStatus.TRUNCATED, null, P3);
    Episode failed = episode("c", EpisodeStatus.FAILED, P1);
    try (LanguageModel m = LearnFixtures.critic(4)) {
      double[] expectedA = {single(m, P1), single(m, P2), single(m, P3)};
      assertTrue(expectedA[0] != expectedA[1], "the states differ, so must their values");
      for (int batch : new int[] {1, 2, 64}) {
        StateValues v = StateValues.compute(m, List.of(a, b, failed), batch);
        assertArrayEquals(expectedA, v.of(a), 1e-5, "batches of " + batch);
        assertArrayEquals(new double[] {0, single(m, P3)}, v.of(b), 1e-5, "a turn without a trace has value 0");
        assertEquals(expectedA[1], v.value(a, 1), 1e-5);
        assertNull(v.of(failed), "failed episodes are dropped by the estimators and skipped here");
        assertEquals(2, v.episodes());
      }
    }
  }

  @Test
  void needsAValueHeadAndDistinctEpisodeIds() {
    Episode a = episode("a", EpisodeStatus.COMPLETED, P1);
    try (LanguageModel plain = LearnFixtures.model(4); LanguageModel critic = LearnFixtures.critic(4)) {
      assertThrows(IllegalStateException.class, () -> StateValues.compute(plain, List.of(a), 8));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> StateValues.compute(critic, List.of(a, episode("a", EpisodeStatus.COMPLETED, P2)), 8));
      assertTrue(e.getMessage().contains("'a'"), e.getMessage());
      StateValues v = StateValues.compute(critic, List.of(a), 8);
      assertThrows(IllegalArgumentException.class, () -> v.value(episode("z", EpisodeStatus.COMPLETED, P1), 0));
    }
  }
}
