package dev.ludus.agents.djl;

import static dev.ludus.agents.djl.DjlLmFixtures.act;
import static dev.ludus.agents.djl.DjlLmFixtures.config;
import static dev.ludus.agents.djl.DjlLmFixtures.request;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.ConfigException;
import dev.ludus.api.TokenTrace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code bpe} tokenizer source of {@code djl-lm}, and the tokenizer a checkpoint carries. */
class DjlLmTokenizerConfigTest {
  private static final List<String> TEXTS = BpeFixtures.corpus();
  private final DjlLmAgentProvider provider = new DjlLmAgentProvider();

  private static DjlLmAgentProvider.Config bpe(int vocabSize) {
    return config().withBpe(DjlLmAgentProvider.Bpe.of(vocabSize, TEXTS));
  }

  @Test
  void aBpeSourceTrainsOnItsTextsAtStartUpAndTheAgentReadsAnyText() {
    try (DjlLmAgent agent = (DjlLmAgent) provider.create(bpe(300), null)) {
      assertInstanceOf(ByteLevelBpeTokenizer.class, agent.tokenizer());
      assertEquals(300, agent.tokenizer().vocabSize());
      assertEquals(300, agent.model().spec().vocabSize(), "the model's vocabulary is the tokenizer's");
      TokenTrace t = act(agent, request("Sokoban: #@$. 日本 😀 — any text", 1, 0)).tokenTrace().orElseThrow();
      assertTrue(t.outputIds().length >= 1);
    }
  }

  @Test
  void bpeReadsFromJsonOverTheDefaultsWithItsOwnDefaultSize() throws Exception {
    ObjectMapper json = new ObjectMapper();
    ObjectNode tree = json.valueToTree(provider.defaultConfig());
    tree.putObject("bpe").putArray("trainOn").add("higher").add("lower");
    DjlLmAgentProvider.Config c = json.treeToValue(tree, DjlLmAgentProvider.Config.class);
    assertEquals(new DjlLmAgentProvider.Bpe(512, List.of("higher", "lower"), null), c.bpe());
    assertTrue(c.hasTokenizerSource());
    assertEquals(512, json.treeToValue(json.createObjectNode(), DjlLmAgentProvider.Bpe.class).vocabSize());
  }

  @Test
  void badBpeSettingsAreRejectedNamingTheFieldAndWhatIsAllowed() {
    assertEquals("bpe.vocabSize must be in [264, 65536], was 100",
        assertThrows(IllegalArgumentException.class, () -> DjlLmAgentProvider.Bpe.of(100, TEXTS)).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> DjlLmAgentProvider.Bpe.of(512, List.of()))
        .getMessage().startsWith("bpe.trainOn must list at least one text"));
    assertEquals("vocabulary, vocabularyFile, tokenizerJson and bpe are alternatives; set at most one, 2 were set",
        assertThrows(IllegalArgumentException.class, () -> new DjlLmAgentProvider.Config(2, 64, 4, 128,
            List.of("a"), null, null, new DjlLmAgentProvider.Bpe(null, null, null), null, 16, 1, 0, 1, List.of(), 32,
            2, "auto", 0, false, null, null)).getMessage());
  }

  @Test
  void bpeWithoutTextsOutsideTrainingFailsSayingWhatToGive() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> provider.create(config().withBpe(new DjlLmAgentProvider.Bpe(512, null, null)), null));
    assertEquals("djl-lm: bpe has no text to train on: give bpe.trainOn (a list of texts) or bpe.trainOnFile "
        + "(a text file); ludus train trains it on the environment's own text", e.getMessage());
  }

  @Test
  void trainOnFileIsReadAsOneTextAndAMissingFileIsNamed(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("corpus.txt");
    Files.writeString(file, String.join("\n", TEXTS));
    try (DjlLmAgent fromFile = (DjlLmAgent) provider.create(
        config().withBpe(new DjlLmAgentProvider.Bpe(300, null, file.toString())), null)) {
      assertEquals(300, fromFile.tokenizer().vocabSize());
    }
    ConfigException e = assertThrows(ConfigException.class, () -> provider.create(
        config().withBpe(new DjlLmAgentProvider.Bpe(300, null, dir.resolve("none.txt").toString())), null));
    assertTrue(e.getMessage().contains("bpe.trainOnFile '" + dir.resolve("none.txt") + "' is not a readable file"),
        e.getMessage());
  }

  /** A checkpoint saved with its tokenizer, as {@code ludus train} saves one. */
  private Path checkpoint(Path dir, DjlLmAgentProvider.Config config, String prompt, TokenTrace[] trace) {
    try (DjlLmAgent original = (DjlLmAgent) provider.create(config.withSeed(4), null)) {
      original.model().save(dir);
      original.tokenizer().save(dir.resolve(LmTokenizer.FILE_NAME));
      trace[0] = act(original, request(prompt, 1, 0)).tokenTrace().orElseThrow();
    }
    return dir;
  }

  @Test
  void aCheckpointLoadsWithTheTokenizerItWasTrainedWithWhenTheConfigurationNamesNone(@TempDir Path dir) {
    TokenTrace[] before = new TokenTrace[1];
    String prompt = "Guess my number between 1 and 9. 日本";
    checkpoint(dir, bpe(300), prompt, before);
    DjlLmAgentProvider.Config noSource = DjlLmAgentProvider.Config.defaults().withMaxNewTokens(8).withSampling(0, 0, 1)
        .withCheckpoint(dir.toString());
    try (DjlLmAgent loaded = (DjlLmAgent) provider.create(noSource, null)) {
      assertInstanceOf(ByteLevelBpeTokenizer.class, loaded.tokenizer());
      assertEquals(bpeJson(), loaded.tokenizer().toJson());
      TokenTrace after = act(loaded, request(prompt, 1, 0)).tokenTrace().orElseThrow();
      assertArrayEquals(before[0].promptIds(), after.promptIds(), "the same prompt ids: the same tokenizer");
      assertArrayEquals(before[0].outputIds(), after.outputIds());
    }
    try (DjlLmAgent same = (DjlLmAgent) provider.create(bpe(300).withCheckpoint(dir.toString()), null);
        DjlLmAgent environmentsText = (DjlLmAgent) provider.create(config()
            .withBpe(new DjlLmAgentProvider.Bpe(300, null, null)).withCheckpoint(dir.toString()), null)) {
      assertEquals(bpeJson(), same.tokenizer().toJson(), "a source that gives the same tokenizer agrees");
      assertEquals(bpeJson(), environmentsText.tokenizer().toJson(),
          "bpe without texts means the text the checkpoint was trained on");
    }
  }

  @Test
  void aCheckpointWhoseTokenizerDiffersFromTheConfiguredOneIsAnErrorNamingBoth(@TempDir Path dir) {
    checkpoint(dir, bpe(300), "hello", new TokenTrace[1]);
    ConfigException e = assertThrows(ConfigException.class,
        () -> provider.create(config().withCheckpoint(dir.toString()), null));
    assertTrue(e.getMessage().matches("djl-lm: checkpoint '.*' was trained with byte-level BPE tokenizer \\(300 tokens, "
        + "sha256 [0-9a-f]{8}\\) \\(its tokenizer.json\\) but the configuration gives word-level tokenizer \\(46 "
        + "tokens, sha256 [0-9a-f]{8}\\); leave vocabulary, vocabularyFile, tokenizerJson and bpe out to use the "
        + "checkpoint's"), e.getMessage());
    ConfigException other = assertThrows(ConfigException.class,
        () -> provider.create(bpe(290).withCheckpoint(dir.toString()), null));
    assertTrue(other.getMessage().contains("but the configuration gives byte-level BPE tokenizer (290 tokens"),
        other.getMessage());
  }

  private static String bpeJson() {
    return ByteLevelBpeTokenizer.train(TEXTS, 300).toJson();
  }
}
