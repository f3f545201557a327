package dev.ludus.runner.rm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ludus.agents.djl.LmTokenizer;
import dev.ludus.api.Message;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How {@link RewardModel#score} splits conversations into forward passes, and that the split changes no score. */
class RewardModelBatchingTest {
  private static Integer[] identity(int n) {
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    return order;
  }

  @Test
  void shortConversationsFillTheBatchLongOnesGoInSmallerPasses() {
    int[][] shortOnes = new int[100][];
    for (int i = 0; i < shortOnes.length; i++) {
      shortOnes[i] = new int[32];
    }
    assertEquals(64, RewardModel.passEnd(shortOnes, identity(100), 0, 64), "32 tokens: the batch limits");
    assertEquals(100, RewardModel.passEnd(shortOnes, identity(100), 64, 64), "the rest");

    int[][] mixed = {new int[100], new int[200], new int[256], new int[256], new int[256], new int[256], new int[512]};
    // 4 rows padded to 256 = 262,144 cells (the budget); a fifth would make 327,680
    assertEquals(4, RewardModel.passEnd(mixed, identity(7), 0, 64));
    assertEquals(6, RewardModel.passEnd(mixed, identity(7), 4, 64), "two of 256, not a third padded to 512");
    assertEquals(7, RewardModel.passEnd(mixed, identity(7), 6, 64), "one conversation over the budget still goes alone");
    assertEquals(2, RewardModel.passEnd(mixed, identity(7), 0, 2), "never more than the batch");
  }

  @Test
  void scoresDoNotDependOnHowConversationsAreBatched() {
    LmTokenizer tok = LmTokenizer.byteLevelBpe(List.of("hello reply guess higher lower 0 1 2 3 4 5 6 7 8 9"), 280);
    List<List<Message>> conversations = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      conversations.add(List.of(Message.user("hello " + i), Message.assistant("reply " + "9".repeat(1 + 9 * i))));
    }
    try (RewardModel model = RewardModel.create(tok, 1, 16, 2, 256, "cpu", 3)) {
      float[] one = model.score(conversations, 1);
      float[] batched = model.score(conversations, 64);
      for (int i = 0; i < one.length; i++) {
        assertEquals(one[i], batched[i], 1e-4, "conversation " + i);
      }
    }
  }
}
