package dev.ludus.runner.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.agents.djl.DjlLmAgent;
import dev.ludus.agents.djl.DjlLmAgentProvider;
import dev.ludus.agents.djl.LanguageModel;
import dev.ludus.agents.djl.LmTokenizer;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Message;
import dev.ludus.api.Registry;
import dev.ludus.api.Task;
import dev.ludus.api.TokenTrace;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.learn.LearnerConfig;
import dev.ludus.runner.learn.PolicyLearner;
import dev.ludus.runner.learn.Sample;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The frozen partner of multi-agent training (Lewis et al. 2017): the seat law, the partner's weights staying as RL
 * started while the policy learns, only the learning seat's episodes trained, the recipe's choice and the refusals.
 */
class FrozenPartnerTest {
  private static final Registry REGISTRY = Registry.load();
  private static final List<String> WORDS = List.of("i", "want", "the", "books", "hats", "balls", "deal", "no",
      "you", "take", "rest");

  @TempDir Path tmp;

  @Test
  void theLearningSeatAlternatesFromGroupToGroupOrStaysWhereConfigured() {
    List<String> two = List.of("alice", "bob");
    Map<String, Integer> count = new HashMap<>();
    for (int g = 0; g < 16; g++) {
      String seat = FrozenPartner.learningSeat(two, null, g);
      assertNotEquals(seat, FrozenPartner.learningSeat(two, null, g + 1), "consecutive groups take turns");
      assertEquals(seat, FrozenPartner.learningSeat(two, null, g + 2), "every second group the same seat");
      count.merge(seat, 1, Integer::sum);
    }
    assertEquals(Map.of("alice", 8, "bob", 8), count, "16 groups: each seat learns in half of them");
    List<String> three = List.of("a", "b", "c");
    assertEquals(List.of("a", "b", "c", "a"), List.of(FrozenPartner.learningSeat(three, null, 0),
        FrozenPartner.learningSeat(three, null, 1), FrozenPartner.learningSeat(three, null, 2),
        FrozenPartner.learningSeat(three, null, 3)));
    for (int g = 0; g < 5; g++) {
      assertEquals("bob", FrozenPartner.learningSeat(two, "bob", g), "a configured seat is fixed");
    }
    assertThrows(IllegalArgumentException.class, () -> FrozenPartner.learningSeat(two, null, -1));
  }

  /** The partner is a copy: the learner's updates of the policy never reach it. */
  @Test
  void thePartnersWeightsDoNotChangeWhenThePolicyIsUpdated() throws Exception {
    LmTokenizer tokenizer = LmTokenizer.wordLevel(WORDS);
    DjlLmAgentProvider.Config config = DjlLmAgentProvider.Config.defaults().withArchitecture(1, 32, 2, 64)
        .withMaxNewTokens(6).withSampling(1.0, 0, 1.0);
    try (LanguageModel model = LanguageModel.create(new LanguageModel.Spec(1, 32, 2, 64,
        LmTokenizer.SPECIAL_TOKENS.size() + WORDS.size()), "cpu", 11);
        DjlLmAgent policy = DjlLmAgent.sharing(model, tokenizer, config);
        FrozenPartner partner = FrozenPartner.freeze(policy, 0.0, List.of("alice", "bob"), null, "test");
        PolicyLearner learner = new PolicyLearner(policy.trainable(), null, LearnerConfig.defaults())) {
      float[][] partnerBefore = ValidationSelection.weights(partner.model());
      float[][] policyBefore = ValidationSelection.weights(model);
      long partnerVersion = partner.model().version();
      for (int step = 0; step < 3; step++) {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          AgentRequest request = new AgentRequest("e" + step + "-" + i, Task.generated("t", i), i, 0,
              List.of(Message.user("i want the books")), List.of());
          TokenTrace trace = ((AgentResponse.Reply) policy.act(request).toCompletableFuture().get(30,
              TimeUnit.SECONDS)).tokenTrace().orElseThrow();
          samples.add(Sample.of(trace, i % 2 == 0 ? 1.0 : -1.0));
        }
        learner.update(samples);
      }
      assertTrue(model.version() > partnerVersion, "the policy took updates");
      assertFalse(same(policyBefore, ValidationSelection.weights(model)), "the policy's weights moved");
      float[][] partnerAfter = ValidationSelection.weights(partner.model());
      for (int i = 0; i < partnerAfter.length; i++) {
        assertArrayEquals(partnerBefore[i], partnerAfter[i], "partner parameter " + i);
      }
      assertEquals(partnerVersion, partner.model().version(), "no update reached the partner");
    }
  }

  private static boolean same(float[][] a, float[][] b) {
    for (int i = 0; i < a.length; i++) {
      if (!java.util.Arrays.equals(a[i], b[i])) {
        return false;
      }
    }
    return true;
  }

  private static String tiny(String selfPlay) {
    return """
        env: deal-or-no-deal
        envConfig: {maxTalk: 4}
        model: {layers: 1, width: 32, heads: 2, context: 256, maxNewTokens: 6, vocabulary: %s}
        shaping: {shapers: [{name: outcome}]}
        selfPlay: %s
        iterations: 1
        tasksPerIteration: 4
        groupSize: 2
        epochs: 1
        miniBatches: 1
        warmStartEpisodes: 0
        evalEpisodes: 4
        validateEvery: 0
        checkpointEvery: 0
        concurrency: 32
        seed: 5
        """.formatted(Json.JSON.valueToTree(WORDS).toString(), selfPlay);
  }

  /**
   * Against a frozen partner each match has one learning seat, taken by group in turn; the partner plays the other
   * and its episodes are stored under its own name but never trained: the iteration trains the policy's 8 episodes
   * (4 tasks × 2), where shared self-play trains both seats' 16. The evaluations say whom they played.
   */
  @Test
  void onlyTheLearningSeatsEpisodesAreTrainedAgainstTheFrozenPartner() throws Exception {
    Path run = tmp.resolve("frozen");
    StringWriter text = new StringWriter();
    new Trainer(REGISTRY, TrainConfig.read(REGISTRY, tiny("frozen-partner")), "cpu", new PrintWriter(text)).run(run);
    JsonNode metrics = Json.JSON.readTree(Files.readAllLines(run.resolve("metrics.jsonl")).get(0));
    assertEquals(8, metrics.get("episodes").asInt(), "the learning seat's episodes only: " + metrics);
    List<String> lines = Files.readAllLines(run.resolve("episodes.jsonl"));
    assertEquals(16, lines.size(), "every episode is stored, the partner's too");
    int policy = 0;
    for (String line : lines) {
      JsonNode e = Json.JSON.readTree(line);
      String[] id = e.get("id").asText().split("-");
      int match = Integer.parseInt(id[id.length - 2]);
      String learning = FrozenPartner.learningSeat(List.of("alice", "bob"), null, match / 2);
      if (e.get("seat").asText().equals(learning)) {
        assertEquals(Resolved.POLICY, e.get("agent").asText(), line);
        policy++;
      } else {
        assertEquals(FrozenPartner.NAME, e.get("agent").asText(), line);
      }
    }
    assertEquals(8, policy);
    List<String> evaluations = Files.readAllLines(run.resolve("evaluations.jsonl"));
    JsonNode before = Json.JSON.readTree(evaluations.get(0));
    JsonNode after = Json.JSON.readTree(evaluations.get(evaluations.size() - 1));
    assertEquals("self-play", before.get("opponent").asText(), "before RL there is no partner yet");
    assertTrue(after.get("opponent").asText().startsWith(FrozenPartner.NAME), after.toString());
    assertEquals(4, after.get("episodes").asInt(), "the policy's seat of 4 held-out matches");
    assertTrue(text.toString().contains("against the frozen partner"), text.toString());

    Path shared = tmp.resolve("shared");
    new Trainer(REGISTRY, TrainConfig.read(REGISTRY, tiny("shared")), "cpu",
        new PrintWriter(Writer.nullWriter())).run(shared);
    JsonNode sharedMetrics = Json.JSON.readTree(Files.readAllLines(shared.resolve("metrics.jsonl")).get(0));
    assertEquals(16, sharedMetrics.get("episodes").asInt(), "shared self-play trains both seats");
    assertEquals("self-play", Json.JSON.readTree(Files.readAllLines(shared.resolve("evaluations.jsonl")).get(1))
        .get("opponent").asText());
  }

  @Test
  void theRecipePlaysMultiAgentEnvironmentsAgainstAFrozenPartnerAndSingleAgentOnesWithout() {
    ResolvedConfig deal = Recipe.resolve(REGISTRY, Recipe.Request.ofEnv("deal-or-no-deal", null));
    assertEquals(TrainConfig.SelfPlay.FROZEN_PARTNER, deal.config().selfPlay());
    assertNull(deal.config().learningSeat(), "the learning seat alternates");
    assertTrue(deal.origins().get("selfPlay").why().contains("Lewis et al. 2017"),
        deal.origins().get("selfPlay").why());
    assertNull(Recipe.resolve(REGISTRY, Recipe.Request.ofEnv("guess-number", "{low: 1, high: 8, maxTurns: 4}"))
        .config().selfPlay());
  }

  @Test
  void selfPlayAndTheLearningSeatAreRefusedWhereTheyMakeNoSense() {
    ConfigException single = assertThrows(ConfigException.class, () -> Recipe.resolve(REGISTRY,
        new Recipe.Request("guess-number", "{low: 1, high: 8, maxTurns: 4}", "{selfPlay: frozen-partner}", null)));
    assertTrue(single.getMessage().contains("selfPlay") && single.getMessage().contains("has no seats"),
        single.getMessage());
    ConfigException seat = assertThrows(ConfigException.class, () -> Recipe.resolve(REGISTRY,
        new Recipe.Request("deal-or-no-deal", null, "{learningSeat: carol}", null)));
    assertTrue(seat.getMessage().contains("carol") && seat.getMessage().contains("alice, bob"), seat.getMessage());
    ConfigException value = assertThrows(ConfigException.class, () -> Recipe.resolve(REGISTRY,
        new Recipe.Request("deal-or-no-deal", null, "{selfPlay: mirror}", null)));
    assertTrue(value.getMessage().contains("frozen-partner") && value.getMessage().contains("shared"),
        value.getMessage());
    ConfigException sharedSeat = assertThrows(ConfigException.class, () -> Recipe.resolve(REGISTRY,
        new Recipe.Request("deal-or-no-deal", null, "{selfPlay: shared, learningSeat: bob}", null)));
    assertTrue(sharedSeat.getMessage().contains("learningSeat"), sharedSeat.getMessage());
    assertEquals("bob", Recipe.resolve(REGISTRY, new Recipe.Request("deal-or-no-deal", null, "{learningSeat: bob}",
        null)).config().learningSeat());
  }
}
