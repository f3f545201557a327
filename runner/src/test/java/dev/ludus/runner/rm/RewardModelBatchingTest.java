package dev.ludus.runner.rm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ludus.agents.djl.LmTokenizer;
import dev.ludus.api.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link RewardModel#score} and {@link RewardModel#scoreTurns} batch and pack conversations (by length, every shared
 * prefix once, an episode's turns in one pass) without changing a score: each equals the model's value of that
 * conversation so far scored alone, in a forward pass of its own.
 */
class RewardModelBatchingTest {
  static final LmTokenizer TOK =
      LmTokenizer.byteLevelBpe(List.of("hello reply guess higher lower 0 1 2 3 4 5 6 7 8 9"), 280);

  /** The value at the last token of the conversation, from a plain left-padded pass over it alone. */
  static float alone(RewardModel model, List<Message> conversation) {
    return model.model().stateValues(List.of(model.ids(conversation)))[0];
  }

  static List<List<Message>> episodes(Random r, int count) {
    List<List<Message>> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      List<Message> c = new ArrayList<>(List.of(Message.system("guess a number from 1 to 9, hello"),
          Message.user("hello " + r.nextInt(10))));
      int turns = 1 + r.nextInt(4);
      for (int t = 0; t < turns; t++) {
        c.add(Message.assistant("guess " + r.nextInt(10)));
        if (t < turns - 1 || r.nextBoolean()) {
          c.add(Message.user(r.nextBoolean() ? "higher" : "lower " + "7".repeat(r.nextInt(30))));
        }
      }
      out.add(c);
    }
    return out;
  }

  @Test
  void scoresDoNotDependOnHowConversationsAreBatched() {
    List<List<Message>> conversations = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      conversations.add(List.of(Message.user("hello " + i), Message.assistant("reply " + "9".repeat(1 + 9 * i))));
    }
    try (RewardModel model = RewardModel.create(TOK, 1, 16, 2, 256, "cpu", 3)) {
      float[] one = model.score(conversations, 1);
      float[] batched = model.score(conversations, 64);
      for (int i = 0; i < one.length; i++) {
        assertEquals(alone(model, conversations.get(i)), one[i], 1e-4, "conversation " + i + " one at a time");
        assertEquals(alone(model, conversations.get(i)), batched[i], 1e-4, "conversation " + i + " batched");
      }
    }
  }

  @Test
  void eachTurnsScoreFromOnePassEqualsItsConversationSoFarScoredAlone() {
    // context 96: the longest episodes keep their end only, so some turns are truncated and share no prefix
    try (RewardModel model = RewardModel.create(TOK, 2, 16, 2, 96, "cpu", 4)) {
      List<List<Message>> episodes = episodes(new Random(7), 20);
      List<int[]> ends = episodes.stream().map(RewardModel::assistantEnds).toList();
      float[][] expected = new float[episodes.size()][];
      for (int i = 0; i < episodes.size(); i++) {
        expected[i] = new float[ends.get(i).length];
        for (int k = 0; k < expected[i].length; k++) {
          expected[i][k] = alone(model, episodes.get(i).subList(0, ends.get(i)[k]));
        }
      }
      for (int batch : new int[] {1, 3, 64}) {
        float[][] turns = model.scoreTurns(episodes, ends, batch);
        for (int i = 0; i < episodes.size(); i++) {
          assertEquals(ends.get(i).length, turns[i].length, "episode " + i + ": a score per turn");
          for (int k = 0; k < ends.get(i).length; k++) {
            assertEquals(expected[i][k], turns[i][k], 1e-4, "episode " + i + ", turn " + k + ", batch " + batch);
          }
        }
      }
    }
  }

  @Test
  void aTurnEndOutsideTheConversationIsRejected() {
    try (RewardModel model = RewardModel.create(TOK, 1, 16, 2, 64, "cpu", 3)) {
      List<List<Message>> one = List.of(List.of(Message.user("hello"), Message.assistant("reply")));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> model.scoreTurns(one, List.of(new int[] {3}), 8));
      assertEquals("conversation 0 has 2 messages; turn end 0 must be in [1, 2], was 3", e.getMessage());
    }
  }
}
