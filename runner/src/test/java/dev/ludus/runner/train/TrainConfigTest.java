package dev.ludus.runner.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.ConfigException;
import dev.ludus.api.Registry;
import dev.ludus.runner.learn.LearnerConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TrainConfigTest {
  @Test
  void noSourceGivesTheEmbeddedDefault() {
    TrainConfig c = TrainConfig.read(null);
    assertEquals(TrainConfig.embeddedDefault(), c);
    assertEquals("guess-number", c.env());
    assertEquals("igpo", c.estimator());
    assertEquals(8, c.envConfig().get("high").asInt());
    assertEquals(1e-4, c.learnerConfig().learningRate(), "RL steps a tenth of imitation's");
    assertEquals(1e-3, c.learnerConfig().imitationLearningRate());
    assertEquals(0.04, c.learnerConfig().klCoefficient(), "anchored to the warm-started policy");
    assertEquals(1.0, c.warmStartAccuracy(), "the warm start runs until the demonstrations are fitted");
    assertFalse(c.dynamicSampling().enabled());
    assertEquals(LearnerConfig.defaults().clipEpsilon(), c.learnerConfig().clipEpsilon());
    assertTrue(c.model().get("bpe").isObject(), "a BPE on the game's text, no unknown tokens: " + c.model());
    assertFalse(c.model().has("vocabulary") && !c.model().get("vocabulary").isNull(), c.model().toString());
  }

  @Test
  void aFileChangesOnlyWhatItNames() {
    TrainConfig c = TrainConfig.read("iterations: 3\nenvConfig: {high: 4}\nlearner: {clipEpsilon: 0.1}");
    assertEquals(3, c.iterations());
    assertEquals(4, c.envConfig().get("high").asInt());
    assertEquals(1, c.envConfig().get("low").asInt());
    assertEquals(0.1, c.learnerConfig().clipEpsilon());
    assertEquals(1e-4, c.learnerConfig().learningRate());
    assertEquals(TrainConfig.embeddedDefault().model(), c.model());
  }

  @Test
  void anotherEnvironmentGetsTheRecipeNotTheEmptyDefaultsOfIssue19() {
    TrainConfig c = TrainConfig.read("env: frozen-lake");
    assertEquals("frozen-lake", c.env());
    assertTrue(c.envConfig().isEmpty(), "the main job's guess-number settings do not leak: " + c.envConfig());
    assertEquals("igpo", c.estimator(), "the recipe's estimator, not grpo");
    assertTrue(c.warmStartEpisodes() > Recipe.WARM_START_EPISODES && c.warmStartEpisodes()
        <= Recipe.STATE_WARM_START_EPISODES, "frozen-lake has an oracle and maps that differ by task: a longer warm "
        + "start, " + c.warmStartEpisodes());
    assertTrue(c.model().get("bpe").isObject(), "a tokenizer for any text: " + c.model());
    assertTrue(c.model().get("maxNewTokens").asInt() >= 3, "measured on the environment's text: " + c.model());
    assertEquals(0.04, c.learnerConfig().klCoefficient());
    assertEquals("ppo-gae", TrainConfig.read("groupSize: 1").estimator(), "groups of one: the estimator without groups");
  }

  @Test
  void anLlmSectionDeclaresTheRunsChatEndpointsAndABadOneIsRefused() {
    TrainConfig c = TrainConfig.read("llm: {judge: {baseUrl: 'http://127.0.0.1:9/v1', model: small}}\niterations: 2");
    assertEquals("small", c.chatEndpoints().get("judge").model());
    assertEquals(java.util.Set.of("judge"), c.with(null, 7L).chatEndpoints().keySet(), "kept by with(...)");
    assertTrue(TrainConfig.read("iterations: 2").chatEndpoints().isEmpty());
    assertMessage("llm: {judge: {baseUrl: 'http://127.0.0.1:9/v1'}}", "judge");
  }

  @Test
  void badValuesAreRefusedNamingTheField() {
    assertMessage("estimator: nope", "estimator must be a registered estimator (");
    assertMessage("estimator: nope", "rloo), was 'nope'");
    assertMessage("warmStartAccuracy: 1.5", "warmStartAccuracy must be in [0, 1]");
    assertMessage("dynamicSampling: {enabled: true, maxRounds: 0}", "dynamicSampling.maxRounds must be in [1, 100]");
    assertMessage("groupSize: 1\nestimator: igpo", "groupSize must be at least 2 for igpo");
    assertMessage("iterations: 0", "iterations must be at least 1, was 0");
    assertMessage("maxStaleness: -1", "maxStaleness must be in [0, 1000000] (0: synchronous), was -1");
    assertMessage("warmStartSteps: 0", "warmStartSteps must be at least 1 when warmStartEpisodes is 32");
    assertMessage("evalTemperature: -1", "evalTemperature must be in [0, 100]");
    assertMessage("bogus: 1", "unknown field 'bogus'");
    assertMessage("iterations: many", "field 'iterations' cannot be 'many'; it takes an integer");
    assertMessage("model: 3", "model must be a mapping");
    assertMessage("unreadable.yaml", "does not exist");
  }

  @Test
  void ppoGaeIsAcceptedWithoutGroupsAndGivesThePolicyAValueHead() {
    TrainConfig c = TrainConfig.read("estimator: ppo-gae\ngroupSize: 1\nlearner: {valueCoefficient: 0.25}");
    assertEquals("ppo-gae", c.estimator());
    assertEquals(0.25, c.learnerConfig().valueCoefficient());
    assertEquals(LearnerConfig.defaults().valueClip(), c.learnerConfig().valueClip());
    PrintWriter out = new PrintWriter(new StringWriter());
    assertTrue(new Trainer(Registry.load(), c, null, out).resolve().modelConfig().valueHead());
    assertFalse(new Trainer(Registry.load(), TrainConfig.read(null), null, out).resolve().modelConfig().valueHead(),
        "no critic, no value head");
    ConfigException dynamic = assertThrows(ConfigException.class, () -> new Trainer(Registry.load(),
        TrainConfig.read("estimator: ppo-gae\ndynamicSampling: {enabled: true}"), null, out).validate());
    assertTrue(dynamic.getMessage().contains("dynamicSampling"), dynamic.getMessage());
    ConfigException clip = assertThrows(ConfigException.class,
        () -> TrainConfig.read("estimator: ppo-gae\nlearner: {valueClip: -1}").learnerConfig());
    assertTrue(clip.getMessage().contains("valueClip must be a finite number at least 0"), clip.getMessage());
  }

  @Test
  void theEstimatorsSettingsComeFromEstimatorConfigOverItsDefaults() {
    TrainConfig igpo = TrainConfig.read("estimatorConfig: {pooling: SEPARATE, gamma: 0.9}");
    dev.ludus.runner.learn.advantage.IgpoConfig settings =
        (dev.ludus.runner.learn.advantage.IgpoConfig) igpo.advantageConfig();
    assertEquals(dev.ludus.runner.learn.advantage.IgpoConfig.Pooling.SEPARATE, settings.pooling());
    assertEquals(0.9, settings.gamma());
    assertEquals(dev.ludus.runner.learn.advantage.IgpoConfig.defaults().epsilon(), settings.epsilon());
    assertEquals(dev.ludus.runner.learn.advantage.PpoGaeConfig.defaults(),
        TrainConfig.read("estimator: ppo-gae").advantageConfig(), "nothing set: the estimator's defaults");
    assertEquals(0.5, ((dev.ludus.runner.learn.advantage.PpoGaeConfig) TrainConfig
        .read("estimator: ppo-gae\nestimatorConfig: {lambda: 0.5}").advantageConfig()).lambda());
    ConfigException unknown = assertThrows(ConfigException.class,
        () -> TrainConfig.read("estimator: grpo\nestimatorConfig: {pooling: SEPARATE}").advantageConfig());
    assertTrue(unknown.getMessage().contains("pooling") && unknown.getMessage().contains("grpo"), unknown.getMessage());
    PrintWriter out = new PrintWriter(new StringWriter());
    ConfigException early = assertThrows(ConfigException.class, () -> new Trainer(Registry.load(),
        TrainConfig.read("estimatorConfig: {gamma: 2}"), null, out).validate());
    assertTrue(early.getMessage().contains("gamma"), early.getMessage());
    assertEquals("SEPARATE", new Trainer(Registry.load(), igpo, null, out).resolve().resolvedTree()
        .get("estimatorConfig").get("pooling").asText(), "the resolved config records the estimator's settings");
  }

  @Test
  void nestedSectionsAreValidatedByTheirOwners() {
    ConfigException learner = assertThrows(ConfigException.class,
        () -> TrainConfig.read("learner: {learningRate: -1}").learnerConfig());
    assertTrue(learner.getMessage().contains("learningRate must be a finite number above 0"), learner.getMessage());
    Registry registry = Registry.load();
    PrintWriter out = new PrintWriter(new StringWriter());
    ConfigException env = assertThrows(ConfigException.class,
        () -> new Trainer(registry, TrainConfig.read("envConfig: {high: 0}"), null, out).resolve());
    assertTrue(env.getMessage().contains("high"), env.getMessage());
    ConfigException model = assertThrows(ConfigException.class,
        () -> new Trainer(registry, TrainConfig.read("model: {width: 63}"), null, out).resolve());
    assertTrue(model.getMessage().contains("width must be a multiple of heads"), model.getMessage());
    ConfigException shaper = assertThrows(ConfigException.class,
        () -> new Trainer(registry, TrainConfig.read("shaping: {shapers: [{name: no-such-shaper}]}"), null, out)
            .resolve());
    assertTrue(shaper.getMessage().contains("no-such-shaper"), shaper.getMessage());
    ConfigException unknownEnv = assertThrows(ConfigException.class,
        () -> new Trainer(registry, TrainConfig.read("env: no-such-env"), null, out).resolve());
    assertTrue(unknownEnv.getMessage().contains("unknown environment 'no-such-env'"), unknownEnv.getMessage());
  }

  private static void assertMessage(String yaml, String expected) {
    ConfigException e = assertThrows(ConfigException.class, () -> TrainConfig.read(yaml));
    assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
  }
}
