package dev.ludus.runner.rm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.djl.LmTokenizer;
import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.LedgerEntry;
import dev.ludus.api.Message;
import dev.ludus.api.Signals;
import dev.ludus.api.Task;
import dev.ludus.api.Turn;
import dev.ludus.runner.learn.LossStepper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sotopia-RL's utterance reward model: the constant-target law and the examples mined from a ledger. */
class UtteranceTrainingTest {
  @Test
  void onAConstantTargetTheMseLossGoesToZero() {
    List<UtteranceExample> examples = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      examples.add(new UtteranceExample(List.of(Message.user("hello " + i), Message.assistant("reply " + (i * 7))),
          0.7, null));
    }
    LmTokenizer tok = LmTokenizer.byteLevelBpe(List.of("hello reply 0 1 2 3 4 5 6 7 8 9"), 280);
    try (RewardModel model = RewardModel.create(tok, 1, 16, 2, 32, "cpu", 3);
        LossStepper stepper = new LossStepper(model.model(), 1e-2, 1.0)) {
      double first = UtteranceTraining.step(stepper, model, examples);
      double last = first;
      for (int i = 0; i < 150 && last > 1e-4; i++) {
        last = UtteranceTraining.step(stepper, model, examples);
      }
      assertTrue(first > 0.1, "starts away from the target: " + first);
      assertTrue(last < 1e-3, "reaches 0: " + last);
      assertEquals(0.0, UtteranceTraining.fitOf(model, examples, 0)[0], 2e-3);
    }
  }

  @Test
  void eachTurnIsItsConversationUpToTheActionWithTheLedgersRewardForIt() {
    List<Turn> turns = new ArrayList<>();
    for (int t = 0; t < 3; t++) {
      turns.add(new Turn(t, Message.assistant("say " + t), null, List.of(Message.user("ok " + t)), 0, t == 2, false,
          Signals.empty(), 0, 0));
    }
    List<LedgerEntry> ledger = List.of(new LedgerEntry(0, "a", "x", 1, 0.5, null),
        new LedgerEntry(2, "a", "x", 1, 1.0, null), new LedgerEntry(2, "b", "y", 1, -0.25, null),
        new LedgerEntry(1, "b", "y", 1, 9, "timed out"));
    Episode e = new Episode(Episode.SCHEMA, "e", "env", "agent", null, null, new Task("t", 1, Map.of()), 1,
        EpisodeStatus.COMPLETED, null, true, 1, List.of(Message.user("start")), List.of(), Signals.empty(), turns,
        ledger, 0, 0);
    List<UtteranceExample> all = UtteranceData.examples(List.of(e), null);
    assertEquals(3, all.size());
    assertEquals(0.5, all.get(0).target(), 1e-12);
    assertEquals(0.0, all.get(1).target(), 1e-12, "a failed entry gives nothing");
    assertEquals(0.75, all.get(2).target(), 1e-12);
    assertEquals(List.of(Message.user("start"), Message.assistant("say 0"), Message.user("ok 0"),
        Message.assistant("say 1")), all.get(1).conversation());
    List<UtteranceExample> onlyB = UtteranceData.examples(List.of(e), "b");
    assertEquals(-0.25, onlyB.get(2).target(), 1e-12);
    assertEquals(0.0, onlyB.get(0).target(), 1e-12);
  }
}
