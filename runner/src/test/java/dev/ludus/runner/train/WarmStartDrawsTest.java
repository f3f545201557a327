package dev.ludus.runner.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.djl.LanguageModel;
import dev.ludus.agents.djl.LmTokenizer;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Registry;
import dev.ludus.runner.learn.Demonstration;
import dev.ludus.runner.learn.LearnerConfig;
import dev.ludus.runner.learn.PolicyLearner;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@code warmStartDraws: episodes}: a warm-start draw takes whole demonstrated conversations, each one packed row,
 * and the recipe sets it where the context is long (issue 19: tutoring's warm start drew 64 turns of about 50
 * conversations a step).
 */
class WarmStartDrawsTest {
  private static final int WORDS = 20;
  private static final int VOCAB = LmTokenizer.SPECIAL_TOKENS.size() + WORDS;

  @Test
  void conversationsAreAnEpisodesTurnsInOrderWhateverTheyWereRecordedIn() {
    List<Demonstration> demos = episodes(4, 3, 31);
    Collections.shuffle(demos, new Random(2));
    List<Demonstration> ordered = WarmStarter.canonical(demos);
    List<int[]> units = WarmStarter.conversations(ordered);
    assertEquals(4, units.size(), "one unit a demonstrated episode");
    for (int[] unit : units) {
      assertEquals(3, unit.length, "its three turns");
      int opening = ordered.get(unit[0]).promptIds()[2];
      for (int k = 1; k < unit.length; k++) {
        int[] before = ordered.get(unit[k - 1]).promptIds();
        int[] prompt = ordered.get(unit[k]).promptIds();
        assertTrue(prompt.length > before.length, "turn after turn");
        assertEquals(opening, prompt[2], "of one episode");
      }
    }
  }

  @Test
  void aDrawOfEpisodesTakesWholeConversationsOneRowEach() {
    List<Demonstration> demos = episodes(4, 3, 32);
    int splitRows = 0;
    for (long seed = 1; seed <= 4; seed++) {
      try (LanguageModel a = model(91);
          LanguageModel b = model(91);
          PolicyLearner whole = new PolicyLearner(a, null, config());
          PolicyLearner any = new PolicyLearner(b, null, config())) {
        WarmStarter.Fit ofEpisodes = WarmStarter.fit(new WarmStarter.Rule(1, 0, 0, 3, false, true), whole, demos, 0,
            null, new Random(seed));
        WarmStarter.Fit ofTurns = WarmStarter.fit(new WarmStarter.Rule(1, 0, 0, 3, false, false), any, demos, 0,
            null, new Random(seed));
        assertEquals(3, ofEpisodes.first().samples(), "12 demonstrations in draws of 3: one conversation of 3");
        assertEquals(1, ofEpisodes.first().rows(), "seed " + seed + ": one packed row");
        assertEquals(3, ofTurns.first().samples());
        splitRows = Math.max(splitRows, ofTurns.first().rows());
      }
    }
    assertTrue(splitRows > 1, "a draw of any 3 turns touches several conversations: " + splitRows + " rows");
  }

  /** Where no demonstration continues another (one-turn episodes, a board world's states) the draws are as before. */
  @Test
  void demonstrationsThatContinueNoOtherAreDrawnAsBefore() {
    List<Demonstration> demos = episodes(8, 1, 33);
    assertEquals(8, WarmStarter.conversations(WarmStarter.canonical(demos)).size());
    try (LanguageModel a = model(92);
        LanguageModel b = model(92);
        PolicyLearner whole = new PolicyLearner(a, null, config());
        PolicyLearner any = new PolicyLearner(b, null, config())) {
      WarmStarter.fit(new WarmStarter.Rule(5, 0, 0, 3, false, true), whole, demos, 0, null, new Random(7));
      WarmStarter.fit(new WarmStarter.Rule(5, 0, 0, 3, false, false), any, demos, 0, null, new Random(7));
      float[][] pa = WarmStartBatchTest.parameters(a);
      float[][] pb = WarmStartBatchTest.parameters(b);
      for (int i = 0; i < pa.length; i++) {
        assertArrayEquals(pb[i], pa[i], 1e-6f, "parameter " + i);
      }
    }
  }

  @Test
  void theRecipeDrawsWholeConversationsWhereTheContextIsLong() {
    Registry registry = Registry.load();
    ResolvedConfig tutoring = Recipe.resolve(registry, Recipe.Request.ofEnv("tutoring", "{maxTurns: 6}"));
    assertTrue(tutoring.config().model().path("context").asInt() >= Recipe.LONG_CONTEXT);
    assertEquals(TrainConfig.EPISODES, tutoring.config().warmStartDraws());
    assertEquals(Recipe.Source.RECIPE, tutoring.origins().get("warmStartDraws").source());
    assertTrue(tutoring.origins().get("warmStartDraws").why().contains("whole demonstrated conversations"),
        tutoring.origins().get("warmStartDraws").why());
    ResolvedConfig guess = Recipe.resolve(registry, Recipe.Request.ofEnv("guess-number",
        "{low: 1, high: 8, maxTurns: 4}"));
    assertTrue(guess.config().model().path("context").asInt() < Recipe.LONG_CONTEXT);
    assertEquals(TrainConfig.DEMONSTRATIONS, guess.config().warmStartDraws(), "a short context draws any");
    ResolvedConfig set = Recipe.resolve(registry, new Recipe.Request("tutoring", "{maxTurns: 6}",
        "{warmStartDraws: demonstrations}", null));
    assertEquals(TrainConfig.DEMONSTRATIONS, set.config().warmStartDraws(), "a config file's value wins");
    assertEquals(TrainConfig.DEMONSTRATIONS, TrainConfig.read(null).warmStartDraws(), "the main job");
  }

  @Test
  void anUnknownDrawIsRefusedNamingWhatIsAllowed() {
    ConfigException e = assertThrows(ConfigException.class, () -> TrainConfig.read("warmStartDraws: turns"));
    assertTrue(e.getMessage().contains("warmStartDraws must be demonstrations") && e.getMessage().contains("episodes")
        && e.getMessage().contains("'turns'"), e.getMessage());
  }

  private static LearnerConfig config() {
    return LearnerConfig.defaults().withImitationLearningRate(1e-2);
  }

  private static LanguageModel model(long seed) {
    return LanguageModel.create(new LanguageModel.Spec(2, 32, 4, 64, VOCAB), "cpu", seed);
  }

  /**
   * {@code n} demonstrated episodes of {@code turns} turns: each opens with a word of its own, and each later turn's
   * prompt is the one before, its target and a new user message.
   */
  private static List<Demonstration> episodes(int n, int turns, long seed) {
    Random rng = new Random(seed);
    List<Demonstration> out = new ArrayList<>();
    for (int e = 0; e < n; e++) {
      int[] prompt = {1, 5, LmTokenizer.SPECIAL_TOKENS.size() + e, word(rng), 6};
      for (int t = 0; t < turns; t++) {
        int[] target = IntStream.range(0, 2 + rng.nextInt(2)).map(i -> word(rng)).toArray();
        out.add(new Demonstration(prompt, target));
        int[] next = new int[prompt.length + target.length + 3];
        System.arraycopy(prompt, 0, next, 0, prompt.length);
        System.arraycopy(target, 0, next, prompt.length, target.length);
        next[next.length - 3] = 5;
        next[next.length - 2] = word(rng);
        next[next.length - 1] = 6;
        prompt = next;
      }
    }
    return out;
  }

  private static int word(Random rng) {
    return LmTokenizer.SPECIAL_TOKENS.size() + rng.nextInt(WORDS);
  }
}
