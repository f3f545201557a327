package dev.ludus.runner.rm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ludus.agents.djl.LmTokenizer;
import dev.ludus.api.Message;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link RewardModel#score}'s batching (sorted by length, left-padded) changes no score. */
class RewardModelBatchingTest {
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
