package dev.ludus.runner.cli;

import dev.ludus.runner.cli.CliRun.Outcome;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ludus train --env NAME} and {@code --print-config}: the recipe resolves every field a config file leaves
 * out, says where each value came from, and refuses what makes no sense for the environment with one line and exit
 * code 2. Everything here prints the configuration and trains nothing.
 */
class TrainRecipeCliTest {

  private static Outcome ludus(String... args) {
    return CliRun.main(args);
  }

  private static void assertLine(String text, String line) {
    assertTrue(text.lines().anyMatch(l -> l.strip().startsWith(line)), "expected a line '" + line + "' in:\n" + text);
  }

  /** The printed configuration without its comments. */
  private static java.util.List<String> values(String printed) {
    return printed.lines().filter(l -> !l.startsWith("#")).map(l -> l.replaceAll("  # .*$", "")).toList();
  }

  @Test
  void printConfigSaysWhereEachValueCameFromAndTrainsNothing(@TempDir Path out, @TempDir Path scratch) throws Exception {
    Outcome o = ludus("train", "--print-config", "--config", "{iterations: 3, learner: {clipEpsilon: 0.1}}",
        "--seed", "5", "--out", out.toString());
    assertEquals(0, o.code(), o.err());
    assertLine(o.out(), "env: guess-number  # main job");
    assertLine(o.out(), "high: 8  # main job");
    assertLine(o.out(), "iterations: 3  # config file");
    assertLine(o.out(), "clipEpsilon: 0.1  # config file");
    assertLine(o.out(), "learningRate: 1.0E-4  # recipe");
    assertLine(o.out(), "seed: 5  # command line");
    assertLine(o.out(), "estimator: igpo  # recipe");
    assertLine(o.out(), "vocabSize: 512  # recipe");
    assertLine(o.out(), "dualClip: 3.0  # plugin default");
    assertLine(o.out(), "maxNewTokens: ");
    assertTrue(o.out().contains("# measured: byte-level BPE"), o.out());
    try (var files = Files.list(out)) {
      assertEquals(0, files.count(), "--print-config trains nothing");
    }
    Path printed = Files.writeString(scratch.resolve("printed.yaml"), o.out());
    Outcome again = ludus("train", "--print-config", "--config", printed.toString());
    assertEquals(0, again.code(), again.err());
    assertEquals(values(o.out()), values(again.out()), "the printed text reads back as the same configuration");
    assertLine(again.out(), "learningRate: 1.0E-4  # config file");
  }

  @Test
  void aConfigFileOverlaysTheRecipeForAnotherEnvironmentFieldByField() {
    Outcome o = ludus("train", "--env", "frozen-lake", "--print-config", "--config", "{learner: {learningRate: 2.0e-4}}");
    assertEquals(0, o.code(), o.err());
    assertLine(o.out(), "env: frozen-lake  # command line");
    assertLine(o.out(), "learningRate: 2.0E-4  # config file");
    assertLine(o.out(), "klCoefficient: 0.04  # recipe");
    assertLine(o.out(), "ptxCoefficient: 1.0  # recipe: PPO-ptx");
    assertLine(o.out(), "targetKl: 0.02  # recipe: trust region");
    assertLine(o.out(), "estimator: igpo  # recipe");
    assertLine(o.out(), "warmStartEpisodes: 888  # recipe: 32 oracle episodes, up to 1024 as the tasks' openings "
        + "differ (14 different among 16 measured oracle episodes) where each observation shows the whole state");
    assertLine(o.out(), "warmStartBatch: 64  # recipe: a draw of this many demonstrations a step");
    assertLine(o.out(), "vocabSize: 512  # recipe");
    assertTrue(o.out().contains("potential"), "frozen-lake declares steps-to-goal: potential-based shaping\n" + o.out());
  }

  @Test
  void printConfigResolvesAnEnvironmentThatSharesWhatItBuilds() {
    // search-qa keeps its index in the plugin context's shared values, which the minimal context refuses
    Outcome o = ludus("train", "--env", "search-qa", "--print-config", "--env-config",
        "{topK: 1, maxTurns: 3, questionTypes: [one-hop]}");
    assertEquals(0, o.code(), o.err());
    assertLine(o.out(), "env: search-qa  # command line");
    assertTrue(o.out().contains("# measured: byte-level BPE"), o.out());
  }

  @Test
  void theWordLevelTokenizerStaysAvailableAndReplacesTheRecipesBpe() {
    Outcome o = ludus("train", "--print-config", "--config",
        "{model: {vocabulary: [higher, lower, correct, '1', '2', '3', '4', '5', '6', '7', '8']}}");
    assertEquals(0, o.code(), o.err());
    assertLine(o.out(), "vocabulary: [\"higher\",\"lower\",\"correct\"");
    assertLine(o.out(), "bpe: null");
  }

  @Test
  void aWarmStartFromAnOracleTheEnvironmentLacksIsRefusedWithOneLine() {
    Outcome o = ludus("train", "--env", "test-context-env", "--print-config", "--config", "{warmStartEpisodes: 8}");
    assertEquals(2, o.code(), o.out());
    assertTrue(o.err().contains("warmStartEpisodes") && o.err().contains("has no oracle"), o.err());
    assertEquals(1, o.err().strip().lines().count(), o.err());
  }

  @Test
  void aShaperReadingASignalTheEnvironmentDoesNotDeclareIsRefused() {
    Outcome o = ludus("train", "--env", "frozen-lake", "--print-config", "--shaping",
        "{shapers: [{name: outcome}, {name: info-gain, config: {signal: candidate-entropy}}]}");
    assertEquals(2, o.code(), o.out());
    assertTrue(o.err().contains("candidate-entropy"), o.err());
    assertEquals(1, o.err().strip().lines().count(), o.err());
  }

  @Test
  void anEnvOptionThatContradictsTheConfigFileIsRefused() {
    Outcome o = ludus("train", "--env", "frozen-lake", "--print-config", "--config", "{env: guess-number}");
    assertEquals(2, o.code(), o.out());
    assertTrue(o.err().contains("name different environments"), o.err());
    assertFalse(o.err().contains("Exception"), o.err());
  }
}
