package dev.ludus.runner.rm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.djl.LanguageModel;
import dev.ludus.agents.djl.LmTokenizer;
import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.LedgerEntry;
import dev.ludus.api.Message;
import dev.ludus.api.Signals;
import dev.ludus.api.Task;
import dev.ludus.api.Turn;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Turn-level pairs mined from the ledger, and a reward model on a djl-lm checkpoint's trunk. */
class TurnPairsAndTrunkTest {
  @TempDir Path tmp;

  /** An episode of one task: actions {@code a[t]}, each answered "ok", the ledger giving turn t {@code r[t]}. */
  static Episode episode(String id, String[] a, double[] r) {
    List<Turn> turns = new ArrayList<>();
    List<LedgerEntry> ledger = new ArrayList<>();
    for (int t = 0; t < a.length; t++) {
      turns.add(new Turn(t, Message.assistant(a[t]), null, List.of(Message.user("ok")), 0, t == a.length - 1, false,
          Signals.empty(), 0, 0));
      ledger.add(new LedgerEntry(t, "s", "c", r[t], r[t], null));
    }
    return new Episode(Episode.SCHEMA, id, "env", "agent", null, null, new Task("task", 1, Map.of()), 1,
        EpisodeStatus.COMPLETED, null, false, 0, List.of(Message.user("start")), List.of(), Signals.empty(), turns,
        ledger, 0, 0);
  }

  @Test
  void turnPairsCompareActionsAfterTheSameHistoryByTheirLedgerReward() {
    List<Episode> group = List.of(
        episode("a", new String[] {"x", "p"}, new double[] {1, 0.5}),
        episode("b", new String[] {"x", "q"}, new double[] {1, 0.2}),
        episode("c", new String[] {"y", "p"}, new double[] {0, 0.9}));
    List<PreferenceExample> pairs = PreferenceData.turnPairs(group);
    // turn 0: a/b tie (skipped); a>c and b>c on x over y. Turn 1: only a and b share a history: p over q
    assertEquals(3, pairs.size(), pairs.toString());
    List<Message> start = List.of(Message.user("start"));
    for (int i = 0; i < 2; i++) {
      assertEquals(List.of(start.get(0), Message.assistant("x")), pairs.get(i).chosen());
      assertEquals(List.of(start.get(0), Message.assistant("y")), pairs.get(i).rejected());
    }
    assertEquals(List.of(start.get(0), Message.assistant("x"), Message.user("ok"), Message.assistant("p")),
        pairs.get(2).chosen());
    assertEquals(Message.assistant("q"), pairs.get(2).rejected().get(3));
    assertEquals("env/turn", pairs.get(2).category());
    assertEquals("task", pairs.get(2).group());
  }

  @Test
  void aRewardModelOnACheckpointsTrunkKeepsItsWeightsAndTokenizerAndTrains() {
    Path dir = tmp.resolve("policy");
    int[] prompt;
    int[] output;
    float[] expected;
    try (LmTokenizer tok = LmTokenizer.byteLevelBpe(List.of("say something kind thank you friend go away"), 280);
        LanguageModel lm = LanguageModel.create(new LanguageModel.Spec(1, 16, 2, 64, tok.vocabSize()), "cpu", 9)) {
      lm.save(dir);
      tok.save(dir.resolve(LmTokenizer.FILE_NAME));
      prompt = tok.encode("say something");
      output = tok.encode(" kind");
      expected = lm.logProbs(prompt, output);
    }
    try (RewardModel rm = RewardModel.fromCheckpoint(tmp, "cpu", 1)) { // the step directory holding policy/
      assertTrue(rm.model().hasValueHead());
      assertArrayEquals(expected, rm.model().logProbs(prompt, output), 1e-6f);
    }
    List<PreferenceExample> pairs = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      pairs.add(new PreferenceExample("all", List.of(Message.user("say something " + i),
          Message.assistant("thank you friend")), List.of(Message.user("say something " + i),
          Message.assistant("go away"))));
    }
    StringWriter log = new StringWriter();
    RewardModelTraining.Result r = RewardModelTraining.train(pairs, new RewardModelTraining.Options(1, 16, 2, 300, 6,
        4, 5e-3, 0, 1, "cpu"), dir, new PrintWriter(log, true));
    try (RewardModel model = r.model()) {
      assertTrue(log.toString().contains("on the trunk of"), log.toString());
      assertEquals(1.0, r.trainReport().overall().accuracy(), 1e-9, log.toString());
    }
  }
}
