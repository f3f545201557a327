package dev.ludus.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ludus.agents.djl.LanguageModel;
import dev.ludus.agents.djl.LmTokenizer;
import dev.ludus.api.Episode;
import dev.ludus.api.LedgerEntry;
import dev.ludus.runner.store.EpisodeReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** answer-probability on worlds with a gold answer: search-qa's answer field, guess-number's secret target signal. */
class AnswerProbabilityGoldRolloutTest {
  @TempDir static Path tmp;
  static String model;

  @BeforeAll
  static void checkpoint() {
    Path dir = tmp.resolve("policy");
    try (LmTokenizer tok = LmTokenizer.byteLevelBpe(List.of("Let's play a guessing game. guess higher lower correct "
            + "<answer>50</answer> search the answer question who where when"), 320);
        LanguageModel m = LanguageModel.create(new LanguageModel.Spec(1, 16, 2, 1024, tok.vocabSize()), "cpu", 5)) {
      m.save(dir);
      tok.save(dir.resolve(LmTokenizer.FILE_NAME));
    }
    model = "'" + dir.toString().replace("'", "''") + "'";
  }

  private List<Episode> rollout(String name, String env, String envConfig, String shaper) throws Exception {
    Path out = tmp.resolve("runs-" + name);
    CliRun.Outcome r = CliRun.main(new String[] {"rollout", "--env", env, "--env-config", envConfig, "--agent",
        "random", "--episodes", "4", "--group-size", "2", "--shaping", "shapers: [" + shaper + "]", "--out",
        out.toString(), "--no-progress"});
    assertEquals(0, r.code(), r.out() + r.err());
    Path run;
    try (Stream<Path> s = Files.list(out)) {
      run = s.findFirst().orElseThrow();
    }
    return EpisodeReader.readAll(run.resolve("episodes.jsonl"));
  }

  private static void scoredEveryTurn(List<Episode> episodes) {
    double total = 0;
    for (Episode e : episodes) {
      List<LedgerEntry> l = e.ledger().stream().filter(x -> x.source().equals("answer-probability")).toList();
      assertEquals(e.turns().size(), l.size(), e.ledger().toString());
      for (LedgerEntry x : l) {
        assertNull(x.failure(), x.toString());
        total += Math.abs(x.raw());
      }
    }
    assertNotEquals(0.0, total, "the gains are the model's, not zeros");
  }

  @Test
  void searchQaGoldAnswersAreScoredAtEveryTurn() throws Exception {
    scoredEveryTurn(rollout("search", "search-qa", "{}", "{name: answer-probability, config: {model: " + model
        + "}}"));
  }

  @Test
  void guessNumbersSecretTargetSignalIsAGoldAnswer() throws Exception {
    scoredEveryTurn(rollout("guess", "guess-number", "{low: 1, high: 100, maxTurns: 3}",
        "{name: answer-probability, config: {model: " + model + ", answerSignal: target}}"));
  }
}
