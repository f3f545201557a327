package dev.ludus.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.Episode;
import dev.ludus.api.LedgerEntry;
import dev.ludus.api.Message;
import dev.ludus.runner.rm.PreferenceExample;
import dev.ludus.runner.rm.RewardModel;
import dev.ludus.runner.rm.RewardModelTraining;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.store.EpisodeReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reward-model shaper in a real rollout: its ledger entries are the model's own scores, batched off the loop. */
class RewardModelShaperTest {
  @TempDir Path tmp;

  private static int ludus(String... args) {
    return CliRun.main(args).code();
  }

  @Test
  void scoresEachEpisodeAtItsLastTurnWithTheModelsRewardOfTheConversationSoFar() throws Exception {
    List<PreferenceExample> pairs = List.of(
        new PreferenceExample("all", List.of(Message.user("guess"), Message.assistant("4")),
            List.of(Message.user("guess"), Message.assistant("9"))),
        new PreferenceExample("all", List.of(Message.user("guess"), Message.assistant("5")),
            List.of(Message.user("guess"), Message.assistant("0"))));
    Path dir = tmp.resolve("rm");
    RewardModelTraining.Options o = new RewardModelTraining.Options(1, 32, 2, 300, 1, 2, 1e-3, 0, 7, "cpu");
    RewardModelTraining.Result r = RewardModelTraining.train(pairs, o, new PrintWriter(new StringWriter()));
    try (RewardModel m = r.model()) {
      m.save(dir, (ObjectNode) Json.JSON.createObjectNode());
    }
    for (String mode : List.of("episode", "turn")) {
      Path out = tmp.resolve("runs-" + mode);
      String shaping = "shapers: [{name: reward-model, config: {model: '" + dir.toString().replace("'", "''")
          + "', mode: " + mode + "}}]";
      assertEquals(0, ludus("rollout", "--env", "guess-number", "--agent", "random", "--episodes", "8",
          "--group-size", "4", "--shaping", shaping, "--out", out.toString(), "--no-progress"));
      Path run;
      try (Stream<Path> s = Files.list(out)) {
        run = s.findFirst().orElseThrow();
      }
      List<Episode> episodes = EpisodeReader.readAll(run.resolve("episodes.jsonl"));
      assertEquals(8, episodes.size());
      try (RewardModel m = RewardModel.load(dir, "cpu")) {
        for (Episode e : episodes) {
          List<LedgerEntry> scores = e.ledger().stream().filter(l -> l.source().equals("reward-model")).toList();
          int expected = mode.equals("turn") ? e.turns().size() : 1;
          assertEquals(expected, scores.size(), e.ledger().toString());
          for (LedgerEntry l : scores) {
            List<Message> so = new ArrayList<>(e.start());
            for (int t = 0; t <= l.turn(); t++) {
              so.add(e.turns().get(t).action());
              if (t < l.turn()) {
                so.addAll(e.turns().get(t).observation());
              }
            }
            assertTrue(mode.equals("turn") || l.turn() == e.turns().size() - 1, "the last turn: " + l);
            assertEquals(m.score(List.of(so), 1)[0], l.raw(), 1e-4, "turn " + l.turn() + " of " + e.id());
          }
        }
      }
    }
  }
}
