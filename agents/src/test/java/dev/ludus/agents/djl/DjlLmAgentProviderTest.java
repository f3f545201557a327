package dev.ludus.agents.djl;

import static dev.ludus.agents.djl.DjlLmFixtures.act;
import static dev.ludus.agents.djl.DjlLmFixtures.config;
import static dev.ludus.agents.djl.DjlLmFixtures.request;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.Agent;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Registry;
import dev.ludus.api.TokenTrace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DjlLmAgentProviderTest {
  private final DjlLmAgentProvider provider = new DjlLmAgentProvider();

  private static String message(Supplier<?> make) {
    return assertThrows(IllegalArgumentException.class, make::get).getMessage();
  }

  @Test
  void configRejectsOutOfRangeFieldsNamingTheFieldTheValueAndTheRange() {
    DjlLmAgentProvider.Config d = DjlLmAgentProvider.Config.defaults();
    assertEquals("layers must be in [1, 64], was 0", message(() -> d.withArchitecture(0, 64, 4, 128)));
    assertEquals("width must be a multiple of heads (4), was 66", message(() -> d.withArchitecture(2, 66, 4, 128)));
    assertEquals("context must be in [8, 65536], was 4", message(() -> d.withArchitecture(2, 64, 4, 4)));
    assertEquals("maxNewTokens must be in [1, 127] (below context 128), was 128", message(() -> d.withMaxNewTokens(128)));
    assertEquals("topP must be in (0, 1] (1 = off), was 1.5", message(() -> d.withSampling(1, 0, 1.5)));
    assertEquals("temperature must be in [0, 100] (0 = greedy), was -0.5", message(() -> d.withSampling(-0.5, 0, 1)));
    assertEquals("maxBatch must be in [1, 4096], was 0", message(() -> d.withBatching(0, 2)));
    assertEquals("maxWaitMillis must be in [0, 60000], was -1", message(() -> d.withBatching(4, -1)));
    assertEquals("device must be one of auto, cpu, gpu, gpu:N, was 'tpu'", message(() -> new DjlLmAgentProvider.Config(
        2, 64, 4, 128, null, null, null, null, null, 16, 1, 0, 1, List.of(), 32, 2, "tpu", 0, false, null, null)));
    assertEquals("vocabulary, vocabularyFile, tokenizerJson and bpe are alternatives; set at most one, 2 were set",
        message(() -> new DjlLmAgentProvider.Config(2, 64, 4, 128, List.of("a"), null, "t.json", null, null, 16, 1, 0,
            1, List.of(), 32, 2, "auto", 0, false, null, null)));
    assertEquals("stop must not contain an empty string, was []", message(() -> d.withStop(List.of(""))));
  }

  @Test
  void configReadsFromJsonOverTheDefaultsAsTheRunnerDoes() throws Exception {
    ObjectMapper json = new ObjectMapper();
    ObjectNode tree = json.valueToTree(provider.defaultConfig());
    tree.put("layers", 3).put("temperature", 0.7).putArray("stop").add("</s>");
    DjlLmAgentProvider.Config c = json.treeToValue(tree, DjlLmAgentProvider.Config.class);
    assertEquals(provider.defaultConfig().withArchitecture(3, 64, 4, 128).withSampling(0.7, 0, 1)
        .withStop(List.of("</s>")), c);
  }

  @Test
  void defaultsAreTinyAndValid() {
    DjlLmAgentProvider.Config d = provider.defaultConfig();
    assertEquals(2, d.layers());
    assertEquals(64, d.width());
    assertEquals(4, d.heads());
    assertEquals(128, d.context());
    assertEquals(16, d.maxNewTokens());
    assertEquals("auto", d.device());
  }

  @Test
  void registryFindsTheAgentByName() {
    assertTrue(Registry.load().agents().names().contains("djl-lm"));
    assertInstanceOf(DjlLmAgentProvider.class, Registry.load().agents().get("djl-lm"));
  }

  @Test
  void theDefaultConfigurationCreatesAWorkingAgent() {
    try (Agent agent = provider.create(provider.defaultConfig(), null)) {
      TokenTrace t = act(agent, request("guess a number between 1 and 100", 1, 0)).tokenTrace().orElseThrow();
      assertTrue(t.outputIds().length >= 1 && t.outputIds().length <= 16);
    }
  }

  @Test
  void aCheckpointConfigurationLoadsTheSavedWeights(@TempDir Path dir) {
    TokenTrace before;
    try (DjlLmAgent original = (DjlLmAgent) provider.create(config().withSeed(21), null)) {
      original.model().update(() -> { });
      original.model().save(dir);
      before = act(original, request("hello world", 1, 0)).tokenTrace().orElseThrow();
    }
    try (Agent loaded = provider.create(config().withArchitecture(1, 8, 1, 16).withMaxNewTokens(8)
        .withCheckpoint(dir.toString()), null)) {
      TokenTrace after = act(loaded, request("hello world", 1, 0)).tokenTrace().orElseThrow();
      assertArrayEquals(before.outputIds(), after.outputIds());
      assertArrayEquals(before.logProbs(), after.logProbs());
      assertEquals(1, after.policyVersion());
    }
  }

  @Test
  void valueHeadGivesTheModelACriticAndPutsAFreshOneOnACheckpointWithout(@TempDir Path dir) {
    int[] prompt = {1, 5, 9};
    try (DjlLmAgent plain = (DjlLmAgent) provider.create(config().withSeed(21), null)) {
      assertFalse(plain.model().hasValueHead());
      plain.model().save(dir);
    }
    try (DjlLmAgent critic = (DjlLmAgent) provider.create(config().withSeed(21).withValueHead(true), null);
        DjlLmAgent loaded = (DjlLmAgent) provider.create(config().withCheckpoint(dir.toString()).withValueHead(true),
            null)) {
      assertTrue(critic.model().hasValueHead());
      assertTrue(loaded.model().hasValueHead());
      assertArrayEquals(critic.model().forward(List.of(prompt))[0][2], loaded.model().forward(List.of(prompt))[0][2],
          "the checkpoint's policy, unchanged");
      assertEquals(1, loaded.model().stateValues(List.of(prompt)).length);
    }
  }

  @Test
  void aCheckpointWhoseVocabularyDiffersFromTheTokenizerIsAConfigError(@TempDir Path dir) {
    try (LanguageModel m = DjlLmFixtures.model(1)) {
      m.save(dir);
    }
    ConfigException e = assertThrows(ConfigException.class,
        () -> provider.create(DjlLmAgentProvider.Config.defaults().withCheckpoint(dir.toString()), null));
    assertTrue(e.getMessage().contains("tokens but the tokenizer has"), e.getMessage());
  }

  @Test
  void missingFilesAreConfigErrorsNamingTheField(@TempDir Path dir) {
    ConfigException e = assertThrows(ConfigException.class,
        () -> provider.create(config().withTokenizerJson(dir.resolve("nope.json").toString()), null));
    assertTrue(e.getMessage().contains("tokenizerJson '"), e.getMessage());
    ConfigException c = assertThrows(ConfigException.class,
        () -> provider.create(config().withCheckpoint(dir.toString()), null));
    assertTrue(c.getMessage().contains("is not a directory saved by djl-lm"), c.getMessage());
  }

  @Test
  void anAgentOnAHuggingFaceTokenizerRepliesInItsVocabulary(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tokenizer.json");
    Files.writeString(file, TokenizerTest.wordLevelTokenizerJson());
    TokenizerTest.huggingFaceOrSkip(file).close();
    try (DjlLmAgent agent = (DjlLmAgent) provider.create(config().withTokenizerJson(file.toString()), null)) {
      assertEquals(13, agent.model().spec().vocabSize());
      TokenTrace t = act(agent, request("hello world", 1, 0)).tokenTrace().orElseThrow();
      assertTrue(IntStream.of(t.outputIds()).allMatch(id -> id >= 0 && id < 13));
    }
  }
}
