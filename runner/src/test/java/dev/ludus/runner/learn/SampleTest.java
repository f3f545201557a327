package dev.ludus.runner.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Message;
import dev.ludus.api.TokenTrace;
import dev.ludus.api.Turn;
import java.util.List;
import org.junit.jupiter.api.Test;

class SampleTest {
  private static final TokenTrace TRACE = new TokenTrace(new int[] {1, 5, 9, 6}, new int[] {10, 11},
      new float[] {-0.5f, -1.5f}, 3);

  @Test
  void aSampleTakesTheTracesExactTokensAndBehaviourLogProbs() {
    Sample s = Sample.of(TRACE, 0.5);
    assertArrayEquals(new int[] {1, 5, 9, 6}, s.promptIds());
    assertArrayEquals(new int[] {10, 11}, s.outputIds());
    assertArrayEquals(new float[] {-0.5f, -1.5f}, s.behaviourLogProbs());
    assertArrayEquals(new float[] {0.5f, 0.5f}, s.advantages());
    assertEquals(3, s.policyVersion());
    assertEquals(s, Sample.of(TRACE, new float[] {0.5f, 0.5f}));
  }

  @Test
  void aTurnWithoutTokenIdsIsRefusedRatherThanReTokenized() {
    Turn turn = new Turn(4, Message.assistant("higher"), null, List.of(), 0, false, false, null, 1, 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Sample.of(turn, new float[] {1}));
    assertTrue(e.getMessage().contains("turn 4") && e.getMessage().contains("re-tokenize"), e.getMessage());
    TokenTrace noPrompt = new TokenTrace(null, new int[] {10}, new float[] {-1}, 0);
    Turn withoutPrompt = new Turn(2, Message.assistant("higher"), noPrompt, List.of(), 0, false, false, null, 1, 1);
    e = assertThrows(IllegalArgumentException.class, () -> Sample.of(withoutPrompt, new float[] {1}));
    assertTrue(e.getMessage().startsWith("turn 2: promptIds is empty"), e.getMessage());
    Turn good = new Turn(1, Message.assistant("x"), TRACE, List.of(), 0, false, false, null, 1, 1);
    assertEquals(2, Sample.of(good, new float[] {1, 2}).outputLength());
  }

  @Test
  void perTokenArraysMustMatchTheOutputAndBeFinite() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Sample.of(TRACE, new float[] {1}));
    assertEquals("advantages has 1 entries but there are 2 output tokens", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Sample.of(TRACE, new float[] {1, Float.NaN}));
    assertEquals("advantages[1] must be finite, was NaN", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new Sample(new int[] {1}, new int[] {2}, new float[] {0.5f}, new float[] {1}, null, 0));
    assertTrue(e.getMessage().startsWith("behaviourLogProbs[0]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new Sample(new int[] {1}, new int[] {-2}, new float[] {-1}, new float[] {1}, null, 0));
    assertTrue(e.getMessage().startsWith("outputIds[0]"), e.getMessage());
  }

  @Test
  void aValueTargetIsOneFiniteNumberPerTurnWithTheOldValue() {
    assertFalse(Sample.of(TRACE, 1).hasValueTarget());
    Sample s = Sample.of(TRACE, 1).withValueTarget(1.5, 0.25);
    assertEquals(new Sample.ValueTarget(1.5, 0.25), s.valueTarget());
    assertEquals(s, Sample.of(TRACE, 1).withValueTarget(1.5, 0.25));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Sample.of(TRACE, 1).withValueTarget(Double.NaN, 0));
    assertEquals("valueTarget.target must be finite, was NaN", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Sample.of(TRACE, 1).withValueTarget(1, Double.POSITIVE_INFINITY));
    assertEquals("valueTarget.oldValue must be finite, was Infinity", e.getMessage());
  }

  @Test
  void arraysAreCopiedInAndOut() {
    int[] prompt = {1, 2};
    float[] adv = {1};
    Sample s = new Sample(prompt, new int[] {3}, new float[] {-1}, adv, null, 0);
    prompt[0] = 99;
    adv[0] = 99;
    s.promptIds()[1] = 99;
    assertArrayEquals(new int[] {1, 2}, s.promptIds());
    assertArrayEquals(new float[] {1}, s.advantages());
  }
}
