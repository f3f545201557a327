package dev.ludus.runner.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Registry;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The recipe's copying rule: where the oracle's replies copy enough of their words from their episode (search-qa's
 * entity names and answers: 0.29 of its reply words), the policy gets a wider model and more demonstrations; where
 * they copy nothing (moves, guesses) nothing changes.
 */
class CopyingRecipeTest {
  private static final Registry REGISTRY = Registry.load();

  private static final String SEARCH_QA = "{topK: 1, maxTurns: 3, questionTypes: [one-hop], split: train}";

  @Test
  void searchQaWhoseRepliesCopyNamesGetsTheCopyingModelAndWarmStart() {
    ResolvedConfig r = Recipe.resolve(REGISTRY, Recipe.Request.ofEnv("search-qa", SEARCH_QA));
    assertEquals(Recipe.COPY_LAYERS, r.config().model().path("layers").asInt());
    assertEquals(Recipe.COPY_WIDTH, r.config().model().path("width").asInt());
    assertEquals(Recipe.COPY_HEADS, r.config().model().path("heads").asInt());
    assertEquals(Recipe.COPY_WARM_START_EPISODES, r.config().warmStartEpisodes());
    assertEquals(Recipe.COPY_WARM_START_STEPS, r.config().warmStartSteps());
    assertTrue(r.origins().get("model.width").why().contains("copying rule"), r.origins().get("model.width").why());
  }

  @Test
  void aConfigFilesModelAndEpisodesWinOverTheCopyingRule() {
    ResolvedConfig r = Recipe.resolve(REGISTRY, new Recipe.Request("search-qa", SEARCH_QA,
        "{model: {width: 64, heads: 4}, warmStartEpisodes: 64}", null));
    assertEquals(64, r.config().model().path("width").asInt());
    assertEquals(4, r.config().model().path("heads").asInt());
    assertEquals(Recipe.COPY_LAYERS, r.config().model().path("layers").asInt());
    assertEquals(64, r.config().warmStartEpisodes());
    assertEquals(Recipe.Source.CONFIG_FILE, r.origins().get("warmStartEpisodes").source());
  }

  @Test
  void environmentsWhoseRepliesDoNotCopyKeepTheSmallModel() {
    for (String[] env : new String[][] {{"guess-number", "{low: 1, high: 8, maxTurns: 4}"},
        {"frozen-lake", "{maxTurns: 12}"}, {"gridworld", "{width: 5, height: 5, maxTurns: 20}"},
        {"sokoban", "{width: 4, height: 4, reverseSteps: 6, maxTurns: 12}"},
        {"twenty-questions", "{candidates: 8, maxTurns: 6}"}}) {
      ResolvedConfig r = Recipe.resolve(REGISTRY, Recipe.Request.ofEnv(env[0], env[1]));
      assertEquals(2, r.config().model().path("layers").asInt(), env[0]);
      assertEquals(64, r.config().model().path("width").asInt(), env[0]);
      assertEquals(4, r.config().model().path("heads").asInt(), env[0]);
      assertFalse(r.origins().get("model.width").why().contains("copying"), env[0]);
    }
  }

  @Test
  void wordsAreRunsOfLettersDigitsDotsAndDashesWithoutATrailingDot() {
    assertEquals(List.of("think", "need", "to", "look", "up", "Ker", "Sista", "think", "search", "Ker", "Sista",
        "search"),
        CopiedText.words("<think>I need to look up Ker Sista.</think>\n<search> Ker Sista </search>"));
    assertEquals(List.of("WHERE", "Enrollment", "K-12", "0.090"), CopiedText.words("WHERE `Enrollment (K-12)` > 0.090"));
  }
}
