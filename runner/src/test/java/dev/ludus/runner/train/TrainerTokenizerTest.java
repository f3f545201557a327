package dev.ludus.runner.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.agents.djl.HistoryWindow;
import dev.ludus.agents.djl.LmTokenizer;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Registry;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.config.Plugins;
import dev.ludus.runner.learn.LearnerCheckpoint;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ludus train} with a {@code bpe} tokenizer: trained on the environment's text, saved with the checkpoints. */
class TrainerTokenizerTest {
  private static final String TINY_BPE = """
      envConfig: {low: 1, high: 4, maxTurns: 2}
      model: {layers: 1, width: 32, heads: 2, context: 160, bpe: {vocabSize: 320}, historyWindow: 2}
      iterations: 1
      tasksPerIteration: 4
      groupSize: 4
      epochs: 1
      miniBatches: 1
      warmStartEpisodes: 4
      warmStartSteps: 2
      evalEpisodes: 4
      checkpointEvery: 1
      concurrency: 64
      seed: 3
      """;

  @TempDir Path tmp;

  @Test
  void aBpeRunTrainsItsTokenizerOnTheEnvironmentsTextSavesItWithEachCheckpointAndResumesWithIt() throws Exception {
    // the history window rides along: every checkpoint says the window its policy read with
    Path run = tmp.resolve("bpe");
    StringWriter text = new StringWriter();
    new Trainer(Registry.load(), TrainConfig.read(TINY_BPE), "cpu", new PrintWriter(text)).run(run);
    assertTrue(text.toString().startsWith("tokenizer: byte-level BPE of at most 320 tokens, trained on "), text.toString());
    JsonNode model = Json.YAML.readTree(run.resolve("config.yaml").toFile()).get("model");
    assertEquals(320, model.get("bpe").get("vocabSize").asInt(), model.toString());
    assertTrue(model.get("bpe").get("trainOn").isNull(), "config.yaml says what was asked, not the corpus");
    assertTrue(model.get("vocabulary").isNull(), "the bpe source replaced the embedded default's vocabulary");

    String expected;
    TokenizerCorpus.Episodes corpus;
    try (dev.ludus.runner.runtime.EpisodeRuntime runtime = dev.ludus.runner.runtime.EpisodeRuntime.start()) {
      corpus = TokenizerCorpus.episodes(runtime, Plugins.environment(Registry.load(), "guess-number",
          "{low: 1, high: 4, maxTurns: 2}"), TokenizerCorpus.Options.defaults());
    }
    assertFalse(corpus.constantOpenings().isEmpty(), "guess-number's rules open every episode");
    try (LmTokenizer fromCorpus = LmTokenizer.byteLevelBpe(corpus.texts(), 320, corpus.constantOpenings())) {
      expected = fromCorpus.toJson();
    }
    Path first = Trainer.latestCheckpoint(run).orElseThrow();
    assertEquals(expected, tokenizerJson(first), "the checkpoint holds the tokenizer trained on the corpus");

    TrainConfig longer = TrainConfig.read(Files.readString(run.resolve("config.yaml"))
        .replace("\niterations: 1\n", "\niterations: 2\n"));
    StringWriter resumed = new StringWriter();
    new Trainer(Registry.load(), longer, "cpu", new PrintWriter(resumed)).resume(run);
    assertFalse(resumed.toString().contains("tokenizer: byte-level BPE"), "a resumed run uses the checkpoint's: "
        + resumed);
    Path last = Trainer.latestCheckpoint(run).orElseThrow();
    assertFalse(last.equals(first));
    assertEquals(expected, tokenizerJson(last));
    try (Stream<Path> checkpoints = Files.list(run.resolve("checkpoints"))) {
      assertTrue(checkpoints.filter(Files::isDirectory).allMatch(c -> Files.isRegularFile(
          c.resolve(LearnerCheckpoint.POLICY).resolve(LmTokenizer.FILE_NAME))), "every checkpoint has its tokenizer");
    }
    try (Stream<Path> checkpoints = Files.list(run.resolve("checkpoints"))) {
      List<Path> dirs = checkpoints.filter(Files::isDirectory).toList();
      assertTrue(dirs.size() >= 2, dirs.toString());
      for (Path c : dirs) {
        assertEquals(java.util.OptionalInt.of(2), HistoryWindow.saved(c.resolve(LearnerCheckpoint.POLICY)),
            c + ": the checkpoint's history window");
      }
    }
  }

  private static String tokenizerJson(Path checkpoint) throws Exception {
    return Files.readString(checkpoint.resolve(LearnerCheckpoint.POLICY).resolve(LmTokenizer.FILE_NAME));
  }

  @Test
  void aTrainingConfigsTokenizerSourceReplacesTheRecipesBpe() throws Exception {
    String readmes = "model: {bpe: {vocabSize: 512}}";
    assertTrue(Files.readString(Path.of("..", "README.md")).contains(readmes), "the README's example");
    Resolved bpe = new Trainer(Registry.load(), TrainConfig.read(readmes), "cpu",
        new PrintWriter(new StringWriter())).resolve();
    assertEquals(512, bpe.modelConfig().bpe().vocabSize());
    assertNull(bpe.modelConfig().vocabulary());
    Path words = tmp.resolve("words.txt");
    Files.writeString(words, "higher\nlower\n");
    Resolved file = new Trainer(Registry.load(),
        TrainConfig.read("model: {vocabularyFile: '" + words + "'}"), "cpu", new PrintWriter(new StringWriter()))
        .resolve();
    assertEquals(words.toString(), file.modelConfig().vocabularyFile());
    assertNull(file.modelConfig().vocabulary());
    assertNull(file.modelConfig().bpe(), "the word-level tokenizer stays available and replaces the recipe's BPE");
    assertTrue(TrainConfig.embeddedDefault().model().get("bpe").isObject(), "the default itself is the recipe's BPE");
  }

  @Test
  void badTokenizerSettingsAreRefusedBeforeTheRunNamingTheFieldAndWhatIsAllowed() {
    ConfigException size = assertThrows(ConfigException.class, () -> new Trainer(Registry.load(),
        TrainConfig.read("model: {bpe: {vocabSize: 100}}"), "cpu", new PrintWriter(new StringWriter())).validate());
    assertTrue(size.getMessage().endsWith("bpe.vocabSize must be in [264, 65536], was 100"), size.getMessage());
    ConfigException two = assertThrows(ConfigException.class, () -> new Trainer(Registry.load(),
        TrainConfig.read("model: {vocabulary: [a], bpe: {}}"), "cpu", new PrintWriter(new StringWriter())).validate());
    assertTrue(two.getMessage().endsWith(
        "vocabulary, vocabularyFile, tokenizerJson and bpe are alternatives; set at most one, 2 were set"),
        two.getMessage());
  }
}
