package dev.ludus.runner.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.djl.ConversationIds;
import dev.ludus.agents.djl.LanguageModel;
import dev.ludus.agents.djl.LmTokenizer;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.GroupShaper;
import dev.ludus.api.Message;
import dev.ludus.api.PluginContext;
import dev.ludus.api.RewardContribution;
import dev.ludus.api.Role;
import dev.ludus.api.Signals;
import dev.ludus.api.Task;
import dev.ludus.api.Turn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The laws of the policy-derived scorers, on a tiny djl-lm checkpoint saved with its tokenizer. */
class PolicyScorersTest {
  @TempDir static Path tmp;
  static Path dir;
  static LanguageModel model;
  static LmTokenizer tokenizer;
  static PluginContext.Owned context;

  @BeforeAll
  static void checkpoint() {
    dir = tmp.resolve("policy");
    tokenizer = LmTokenizer.byteLevelBpe(List.of("guess a number between 1 and 100", "higher lower correct",
        "<answer>42</answer> Thank you, that is exactly right. That is wrong."), 300);
    model = LanguageModel.create(new LanguageModel.Spec(1, 16, 2, 512, tokenizer.vocabSize()), "cpu", 11);
    model.save(dir);
    tokenizer.save(dir.resolve(LmTokenizer.FILE_NAME));
    context = PluginContext.standalone();
  }

  @AfterAll
  static void close() {
    context.close();
    model.close();
    tokenizer.close();
  }

  static Episode episode(String id, Map<String, String> fields, String... actions) {
    List<Turn> turns = new ArrayList<>();
    for (int t = 0; t < actions.length; t++) {
      turns.add(new Turn(t, Message.assistant(actions[t]), null, List.of(Message.user(t % 2 == 0 ? "higher" : "lower")),
          0, t == actions.length - 1, false, Signals.empty(), 0, 0));
    }
    return new Episode(Episode.SCHEMA, id, "guess-number", "test", new Task(id, 1, fields), 1,
        EpisodeStatus.COMPLETED, null, false, 0, List.of(Message.system("guess a number"), Message.user("guess")),
        List.of(), Signals.empty(), turns, List.of(), 0, 0);
  }

  static final List<Episode> GROUP = List.of(
      episode("a", Map.of("answer", "42"), "<answer>50</answer>", "I say <answer>42</answer>"),
      episode("b", Map.of("answer", "42"), "25", "37", "lower, so 41"),
      episode("c", Map.of("answer", "7"), "<answer>7</answer>"));

  static List<List<RewardContribution>> shape(Object provider, Object config) throws Exception {
    @SuppressWarnings({"unchecked", "rawtypes"})
    GroupShaper shaper = (GroupShaper) ((dev.ludus.api.ShaperProvider) provider).create(config, context);
    return shaper.shapeGroup(GROUP).toCompletableFuture().get();
  }

  static double meanLogProb(int[] prompt, int[] output) {
    float[] lp = model.logProbs(List.of(prompt), List.of(output), new double[] {1.0})[0];
    double s = 0;
    for (float v : lp) {
      s += v;
    }
    return s / lp.length;
  }

  static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void confidenceIsExpOfTheMeanLogProbOfTheFinalAnswerTokensAndAProbability() throws Exception {
    List<List<RewardContribution>> out = shape(new ConfidenceShaperProvider(),
        new ConfidenceShaperProvider.Config(dir.toString(), "cpu", 8));
    String[][] answers = {{"I say <answer>", "42"}, {"", "lower, so 41"}, {"<answer>", "7"}};
    for (int e = 0; e < GROUP.size(); e++) {
      Episode ep = GROUP.get(e);
      int last = ep.turns().size() - 1;
      List<Message> before = new ArrayList<>(ep.start());
      for (int t = 0; t < last; t++) {
        before.add(ep.turns().get(t).action());
        before.addAll(ep.turns().get(t).observation());
      }
      int[] prompt = concat(ConversationIds.of(tokenizer, before), tokenizer.encode(answers[e][0]));
      double expected = Math.exp(meanLogProb(prompt, tokenizer.encode(answers[e][1])));
      assertEquals(1, out.get(e).size(), out.get(e).toString());
      RewardContribution c = out.get(e).get(0);
      assertEquals(last, c.turn());
      assertEquals(expected, c.value(), 1e-5, "episode " + ep.id());
      assertTrue(c.value() >= 0 && c.value() <= 1, c.toString());
    }
  }

  @Test
  void swappingThePositiveAndNegativeFollowUpsNegatesEveryRewardAndEqualListsGiveZero() throws Exception {
    List<String> pos = List.of("Thank you, that is exactly right.", "Great.");
    List<String> neg = List.of("That is wrong.");
    FollowUpLikelihoodShaperProvider p = new FollowUpLikelihoodShaperProvider();
    List<List<RewardContribution>> forward = shape(p, new FollowUpLikelihoodShaperProvider.Config(dir.toString(), pos,
        neg, "cpu", 16));
    List<List<RewardContribution>> swapped = shape(p, new FollowUpLikelihoodShaperProvider.Config(dir.toString(), neg,
        pos, "cpu", 16));
    List<List<RewardContribution>> same = shape(p, new FollowUpLikelihoodShaperProvider.Config(dir.toString(), pos,
        pos, "cpu", 16));
    for (int e = 0; e < GROUP.size(); e++) {
      assertEquals(GROUP.get(e).turns().size(), forward.get(e).size());
      for (int t = 0; t < forward.get(e).size(); t++) {
        assertEquals(t, forward.get(e).get(t).turn());
        assertNotEquals(0.0, forward.get(e).get(t).value());
        assertEquals(-forward.get(e).get(t).value(), swapped.get(e).get(t).value(), 1e-6);
        assertEquals(0.0, same.get(e).get(t).value(), 1e-9);
      }
    }
    // and the value itself: the templates as the next user message, after the history up to the first action
    Episode ep = GROUP.get(0);
    List<Message> h = new ArrayList<>(ep.start());
    h.add(ep.turns().get(0).action());
    int[] ids = ConversationIds.of(tokenizer, h);
    int[] prompt = concat(Arrays.copyOf(ids, ids.length - 1), new int[] {tokenizer.roleId(Role.USER).getAsInt()});
    double expected = (meanLogProb(prompt, tokenizer.encode(pos.get(0))) + meanLogProb(prompt,
        tokenizer.encode(pos.get(1)))) / 2 - meanLogProb(prompt, tokenizer.encode(neg.get(0)));
    assertEquals(expected, forward.get(0).get(0).value(), 1e-5);
  }

  @Test
  void answerProbabilityGainsSumToTheLastProbabilityMinusTheOpenings() throws Exception {
    List<List<RewardContribution>> out = shape(new AnswerProbabilityShaperProvider(),
        new AnswerProbabilityShaperProvider.Config(dir.toString(), "answer", null, "cpu", 8));
    int[] pseudo = tokenizer.encode(AnswerProbabilityShaperProvider.PSEUDO);
    for (int e = 0; e < GROUP.size(); e++) {
      Episode ep = GROUP.get(e);
      int[] gold = tokenizer.encode(ep.task().fields().get("answer"));
      List<Message> all = new ArrayList<>(ep.start());
      double p0 = Math.exp(meanLogProb(concat(ConversationIds.of(tokenizer, all), pseudo), gold));
      for (Turn t : ep.turns()) {
        all.add(t.action());
        all.addAll(t.observation());
      }
      double pT = Math.exp(meanLogProb(concat(ConversationIds.of(tokenizer, all), pseudo), gold));
      assertEquals(ep.turns().size(), out.get(e).size());
      double sum = out.get(e).stream().mapToDouble(RewardContribution::value).sum();
      assertEquals(pT - p0, sum, 1e-5, "episode " + ep.id());
      assertNotEquals(0.0, sum);
    }
  }

  @Test
  void aTaskWithoutTheGoldFieldIsAScoringFailureNamingTheField() throws Exception {
    List<List<RewardContribution>> out = shape(new AnswerProbabilityShaperProvider(),
        new AnswerProbabilityShaperProvider.Config(dir.toString(), "gold", null, "cpu", 8));
    for (List<RewardContribution> c : out) {
      assertEquals(1, c.size());
      assertTrue(c.get(0).failure().contains("'gold'"), c.get(0).failure());
    }
  }

  @Test
  void aDirectoryWithoutACheckpointIsAConfigError() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
        () -> new ConfidenceShaperProvider().create(new ConfidenceShaperProvider.Config(empty.toString(), "cpu", 8),
            context));
    assertTrue(e.getMessage().contains("djl-lm.json"), e.getMessage());
  }

  @Test
  void emptyFollowUpListsAndAnOutOfRangeBatchAreConfigErrorsNamingTheField() {
    ConfigException lists = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
        () -> new FollowUpLikelihoodShaperProvider.Config(dir.toString(), List.of(), null, "cpu", 8));
    assertTrue(lists.getMessage().contains("positive and negative"), lists.getMessage());
    ConfigException batch = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
        () -> new ConfidenceShaperProvider().create(new ConfidenceShaperProvider.Config(dir.toString(), "cpu", 5000),
            context));
    assertTrue(batch.getMessage().contains("maxBatch"), batch.getMessage());
  }
}
