package dev.ludus.runner.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Registry;
import dev.ludus.runner.learn.LearnerConfig;
import org.junit.jupiter.api.Test;

/**
 * The recipe's warm start is scaled to how much the tasks show themselves: as many oracle episodes as the main job
 * where every task opens alike, up to four times that where every task opens with a board of its own, and up to 1024
 * episodes imitated in draws where each observation also shows the whole state (a board world).
 */
class RecipeWarmStartTest {
  private static final Registry REGISTRY = Registry.load();

  private static ResolvedConfig resolve(String env, String envConfig) {
    return Recipe.resolve(REGISTRY, Recipe.Request.ofEnv(env, envConfig));
  }

  @Test
  void aGameWhoseTasksAllOpenAlikeKeepsThirtyTwoDemonstrationEpisodes() {
    ResolvedConfig r = resolve("guess-number", "{low: 1, high: 8, maxTurns: 4}");
    assertEquals(1, r.facts().distinctOpenings(), "the hidden number never shows in the opening");
    assertEquals(Recipe.WARM_START_EPISODES, r.config().warmStartEpisodes());
    assertEquals(Recipe.Source.RECIPE, r.origins().get("warmStartEpisodes").source());
    assertEquals(Recipe.MAX_WARM_START_EPISODES, r.config().warmStartMaxEpisodes(),
        "the recipe's warm start grows while the fitted policy mispredicts fresh oracle episodes");
  }

  @Test
  void aGameWhoseEveryTaskOpensWithItsOwnPartialViewGetsFourTimesAsMany() {
    ResolvedConfig r = resolve("gridworld", null); // 7 x 7 through a 5 x 5 view: observations do not supersede
    assertEquals(r.facts().openings(), r.facts().distinctOpenings(), "every measured map differs");
    assertEquals(Recipe.MAX_WARM_START_EPISODES, r.config().warmStartEpisodes());
    assertTrue(r.origins().get("warmStartEpisodes").why().contains("different among"),
        r.origins().get("warmStartEpisodes").why());
    assertEquals(Recipe.WARM_START_BATCH, r.config().warmStartBatch(),
        "the recipe's draws, which take every demonstration at every step below twice their size");
    assertEquals(400, r.config().warmStartSteps());
  }

  @Test
  void aBoardWorldWhoseObservationsShowTheWholeStateGetsManyBoardsInDraws() {
    ResolvedConfig r = resolve("sokoban", "{width: 4, height: 4, reverseSteps: 6, maxTurns: 12}");
    assertEquals(r.facts().openings(), r.facts().distinctOpenings(), "every measured room differs");
    // sokoban's warm start also has DART's noise, hence the noisy budget (NoisyWarmStartBudgetTest)
    assertEquals(Recipe.NOISY_WARM_START_EPISODES, r.config().warmStartEpisodes());
    assertEquals(Recipe.NOISY_WARM_START_EPISODES, r.config().warmStartMaxEpisodes(), "no growth beyond them");
    assertEquals(Recipe.WARM_START_BATCH, r.config().warmStartBatch());
    assertEquals(Recipe.NOISY_WARM_START_STEPS, r.config().warmStartSteps());
    for (String field : java.util.List.of("warmStartEpisodes", "warmStartMaxEpisodes", "warmStartBatch",
        "warmStartSteps")) {
      assertEquals(Recipe.Source.RECIPE, r.origins().get(field).source(), field);
    }
    assertTrue(r.origins().get("warmStartEpisodes").why().contains("whole state"),
        r.origins().get("warmStartEpisodes").why());
    ResolvedConfig set = Recipe.resolve(REGISTRY, new Recipe.Request("sokoban",
        "{width: 4, height: 4, reverseSteps: 6, maxTurns: 12}", "{warmStartBatch: 0, warmStartSteps: 300}", null));
    assertEquals(0, set.config().warmStartBatch(), "a config file's value wins over the rule");
    assertEquals(300, set.config().warmStartSteps());
    assertEquals(Recipe.NOISY_WARM_START_EPISODES, set.config().warmStartEpisodes());
  }

  @Test
  void manyBoardsOnlyWhereObservationsSupersedeAndTheTasksOpenDifferently() {
    assertTrue(Recipe.statesWarmStart(facts(16, 16), true));
    assertTrue(Recipe.statesWarmStart(facts(16, 14), true), "gridworld's and frozen-lake's 14 of 16");
    assertEquals(888, Recipe.warmStartEpisodes(facts(16, 14), Recipe.STATE_WARM_START_EPISODES));
    assertTrue(!Recipe.statesWarmStart(facts(16, 16), false), "the whole conversation matters: few episodes");
    assertTrue(!Recipe.statesWarmStart(facts(16, 1), true), "every task opens alike: its boards are few");
    assertTrue(!Recipe.statesWarmStart(facts(16, 2), true), "at most 128 episodes from a little diversity");
    ResolvedConfig guess = resolve("guess-number", "{low: 1, high: 8, maxTurns: 4}");
    assertEquals(Recipe.WARM_START_BATCH, guess.config().warmStartBatch(), "the recipe's general value, not the rule's");
    assertEquals(400, guess.config().warmStartSteps());
  }

  @Test
  void theEpisodesGrowWithTheShareOfDistinctOpeningsInStepsOfEight() {
    assertEquals(32, Recipe.warmStartEpisodes(facts(16, 1)));
    assertEquals(128, Recipe.warmStartEpisodes(facts(16, 16)));
    assertEquals(112, Recipe.warmStartEpisodes(facts(16, 14)));
    assertEquals(32, Recipe.warmStartEpisodes(facts(1, 1)), "one episode tells nothing about diversity");
  }

  @Test
  void aConfigFilesWarmStartEpisodesWinOverTheRule() {
    ResolvedConfig r = Recipe.resolve(REGISTRY, new Recipe.Request("sokoban",
        "{width: 4, height: 4, reverseSteps: 6, maxTurns: 12}", "{warmStartEpisodes: 16}", null));
    assertEquals(16, r.config().warmStartEpisodes());
    assertEquals(Recipe.Source.CONFIG_FILE, r.origins().get("warmStartEpisodes").source());
    assertEquals(0, r.config().warmStartMaxEpisodes(), "a config's warmStartEpisodes is exactly that many");
  }

  @Test
  void aLongReplyIsFittedUntilSamplingReproducesItWhole() {
    assertEquals(0.1, Recipe.warmStartLoss(withReply(3)), "short replies keep 0.1 nats a token");
    assertEquals(0.1, Recipe.warmStartLoss(withReply(10)));
    assertEquals(0.0142, Recipe.warmStartLoss(withReply(70)), "1 nat over a 70-token query, rounded down");
    assertTrue(Recipe.warmStartLoss(withReply(70)) * 70 <= Recipe.REPLY_LOSS);
  }

  @Test
  void theRecipeSetsTheLossFromTheMeasuredRepliesAndSaysWhy() {
    ResolvedConfig r = resolve("guess-number", "{low: 1, high: 8, maxTurns: 4}");
    assertEquals(Recipe.warmStartLoss(r.facts()), r.config().warmStartLoss());
    assertEquals(Recipe.WARM_START_LOSS, r.config().warmStartLoss(), "guess-number's replies are a few tokens");
    assertTrue(r.origins().get("warmStartLoss").why().contains("longest demonstrated reply"),
        r.origins().get("warmStartLoss").why());
    ResolvedConfig set = Recipe.resolve(REGISTRY, new Recipe.Request("guess-number", "{low: 1, high: 8, maxTurns: 4}",
        "{warmStartLoss: 0.5}", null));
    assertEquals(0.5, set.config().warmStartLoss(), "a config file's value wins over the rule");
  }

  @Test
  void theDemonstrationsAreDrawnAndOracleLabelsAreRefusedWhereTheOracleCannotActFromAnyState() {
    ResolvedConfig guess = resolve("guess-number", "{low: 1, high: 8, maxTurns: 4}");
    assertEquals(Recipe.PTX_ROWS, guess.config().learnerConfig().ptxRows());
    assertEquals(Recipe.PTX_LABELS, guess.config().learnerConfig().ptxLabels(), "guess-number's oracle acts from any "
        + "state, so the recipe labels the greedy policy's failures (DAgger)");
    assertEquals(LearnerConfig.LabelSource.GREEDY_FAILURES, guess.config().learnerConfig().ptxLabelsFrom());
    assertEquals(0, resolve("twenty-questions", "{candidates: 8, maxTurns: 6}").config()
        .learnerConfig().ptxLabels(), "twenty-questions does not say its oracle acts from any state: no labels");
    ResolvedConfig labelled = Recipe.resolve(REGISTRY, new Recipe.Request("guess-number",
        "{low: 1, high: 8, maxTurns: 4}", "{learner: {ptxLabels: 512, ptxLabelsFrom: SAMPLED, ptxLabelWeight: 0.5}}",
        null));
    assertEquals(LearnerConfig.LabelSource.SAMPLED, labelled.config().learnerConfig().ptxLabelsFrom(), "a config file "
        + "picks the labelling");
    assertEquals(0.5, labelled.config().learnerConfig().ptxLabelWeight());
    assertEquals(512, labelled.config().learnerConfig().ptxLabels(), "guess-number's oracle replays the "
        + "conversation, so a config may turn DAgger on");
    new Trainer(REGISTRY, labelled.config(), null, new java.io.PrintWriter(java.io.Writer.nullWriter())).validate();
    ResolvedConfig noLabels = Recipe.resolve(REGISTRY, new Recipe.Request("twenty-questions",
        "{candidates: 8, maxTurns: 6}", "{learner: {ptxLabels: 512}}", null));
    dev.ludus.api.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
        dev.ludus.api.ConfigException.class, () -> new Trainer(REGISTRY, noLabels.config(), null,
            new java.io.PrintWriter(java.io.Writer.nullWriter())).validate());
    assertTrue(e.getMessage().contains("learner.ptxLabels is 512") && e.getMessage().contains("set learner.ptxLabels "
        + "to 0"), e.getMessage());
  }

  private static Recipe.Facts withReply(int reply) {
    return new Recipe.Facts(true, false, java.util.List.of(), new TokenizerCorpus.Lengths(10, reply, 12, 4), "oracle",
        1, 1, 1, java.util.Map.of(), "test", 1, 1, 1);
  }

  private static Recipe.Facts facts(int openings, int distinct) {
    return new Recipe.Facts(true, false, java.util.List.of(), new TokenizerCorpus.Lengths(10, 2, 12, 4), "oracle", 1,
        1, 1, java.util.Map.of(), "test", openings, distinct, 1);
  }
}
