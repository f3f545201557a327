package dev.ludus.runner.rm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.ConfigException;
import dev.ludus.api.Message;
import dev.ludus.api.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Preference files in TRL's and OpenRLHF's formats, and the evaluation's arithmetic. */
class PreferenceDataTest {
  @TempDir Path tmp;

  @Test
  void readsTextAndConversationalPairsWithAnOptionalPromptAndCategory() throws Exception {
    Path f = tmp.resolve("pairs.jsonl");
    Files.writeString(f, String.join("\n",
        "{\"prompt\": \"2+2?\", \"chosen\": \"4\", \"rejected\": \"5\", \"category\": \"math\"}",
        "{\"chosen\": [{\"role\": \"user\", \"content\": \"hi\"}, {\"role\": \"assistant\", \"content\": \"hello\"}],"
            + " \"rejected\": [{\"role\": \"user\", \"content\": \"hi\"}, {\"role\": \"assistant\", \"content\": \"go\"}]}",
        ""));
    List<PreferenceExample> e = PreferenceData.fromJsonl(f, PreferenceData.Keys.defaults());
    assertEquals(2, e.size());
    assertEquals(List.of(Message.user("2+2?"), Message.assistant("4")), e.get(0).chosen());
    assertEquals(List.of(Message.user("2+2?"), Message.assistant("5")), e.get(0).rejected());
    assertEquals("math", e.get(0).category());
    assertEquals("all", e.get(1).category());
    assertEquals(Role.ASSISTANT, e.get(1).rejected().get(1).role());
    assertEquals("go", e.get(1).rejected().get(1).content());
  }

  @Test
  void openRlhfStyleKeysAreConfigurable() throws Exception {
    Path f = tmp.resolve("orlhf.jsonl");
    Files.writeString(f, "{\"input\": \"q\", \"chosen_response\": \"a\", \"rejected_response\": \"b\"}\n");
    List<PreferenceExample> e = PreferenceData.fromJsonl(f,
        new PreferenceData.Keys("chosen_response", "rejected_response", "input", "subset"));
    assertEquals(List.of(Message.user("q"), Message.assistant("a")), e.get(0).chosen());
  }

  @Test
  void aBadLineIsRefusedNamingItsNumberAndTheExpectedShape() throws Exception {
    Path f = tmp.resolve("bad.jsonl");
    Files.writeString(f, "{\"chosen\": \"a\", \"rejected\": \"b\"}\n{\"chosen\": \"a\"}\n");
    ConfigException e = assertThrows(ConfigException.class,
        () -> PreferenceData.fromJsonl(f, PreferenceData.Keys.defaults()));
    assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("no 'rejected'"), e.getMessage());
  }

  @Test
  void theReportCountsRightRankingsByCategoryAndItsCalibrationError() {
    // margins 2, 2 (confident, right), -0.1 (unsure, wrong), 3 (confident, right)
    RewardModelEvaluation.Report r = RewardModelEvaluation.report(List.of("a", "a", "b", "b"),
        new double[] {2, 2, -0.1, 3});
    assertEquals(0.75, r.overall().accuracy(), 1e-12);
    assertEquals(1.0, r.categories().get(0).accuracy(), 1e-12);
    assertEquals(0.5, r.categories().get(1).accuracy(), 1e-12);
    double c2 = 1 / (1 + Math.exp(-2));
    double c3 = 1 / (1 + Math.exp(-3));
    double cw = 1 / (1 + Math.exp(-0.1));
    // bins: c2 and c2 in [0.85, 0.9), c3 in [0.95, 1.0], cw in [0.5, 0.55); accuracy 1, 1, 0
    double ece = 2.0 / 4 * Math.abs(1 - c2) + 1.0 / 4 * Math.abs(1 - c3) + 1.0 / 4 * Math.abs(0 - cw);
    assertEquals(ece, r.calibrationError(), 1e-12);
  }

  @Test
  void theHeldOutSplitKeepsEachGroupsPairsOnOneSide() {
    List<PreferenceExample> pairs = new java.util.ArrayList<>();
    for (int g = 0; g < 6; g++) {
      for (int k = 0; k < 3; k++) {
        pairs.add(new PreferenceExample("all", List.of(Message.user("q" + g), Message.assistant("good " + k)),
            List.of(Message.user("q" + g), Message.assistant("bad " + k)), "task-" + g));
      }
    }
    RewardModelTraining.Options o = new RewardModelTraining.Options(1, 16, 2, 300, 1, 8, 1e-3, 0.34, 3, "cpu");
    RewardModelTraining.Result r = RewardModelTraining.train(pairs, o,
        new java.io.PrintWriter(java.io.Writer.nullWriter()));
    try (RewardModel m = r.model()) {
      java.util.Set<String> held = new java.util.HashSet<>();
      r.heldOut().forEach(e -> held.add(e.group()));
      assertTrue(r.train().stream().noneMatch(e -> held.contains(e.group())), "a group on both sides");
      assertEquals(0, r.heldOut().size() % 3, "whole groups held out: " + r.heldOut().size());
      assertEquals(18, r.train().size() + r.heldOut().size());
      assertTrue(!r.heldOut().isEmpty() && !r.train().isEmpty());
    }
  }
}
