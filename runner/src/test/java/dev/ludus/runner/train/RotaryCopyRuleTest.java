package dev.ludus.runner.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Registry;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The recipe's copying rule: where the oracle's replies copy enough of their words from their episode (search-qa's
 * names and answers, text-to-sql's values and schema names), the policy gets rotary positions; where they copy
 * nothing (moves, guesses) it keeps learned positions; a config file's choice wins.
 */
class RotaryCopyRuleTest {
  private static final Registry REGISTRY = Registry.load();

  @Test
  void worldsWhoseRepliesCopyFromTheirEpisodeGetRotaryPositions() {
    for (String[] env : new String[][] {{"search-qa", "{topK: 1, maxTurns: 3, questionTypes: [one-hop], split: train}"},
        {"text-to-sql", "{mode: single-turn, domains: [schools], databasesPerDomain: 1, perturbations: 1, "
            + "questionsPerKind: 20, split: train}"}}) {
      ResolvedConfig r = Recipe.resolve(REGISTRY, Recipe.Request.ofEnv(env[0], env[1]));
      assertEquals("rotary", r.config().model().path("positions").asText(), env[0]);
      assertEquals(Recipe.Source.RECIPE, r.origins().get("model.positions").source(), env[0]);
      assertTrue(r.origins().get("model.positions").why().contains("copied from their episode"), env[0]);
    }
  }

  @Test
  void worldsWhoseRepliesDoNotCopyKeepLearnedPositions() {
    for (String[] env : new String[][] {{"guess-number", "{low: 1, high: 8, maxTurns: 4}"},
        {"frozen-lake", "{maxTurns: 12}"}, {"gridworld", "{width: 5, height: 5, maxTurns: 20}"},
        {"sokoban", "{width: 4, height: 4, reverseSteps: 6, maxTurns: 12}"},
        {"twenty-questions", "{candidates: 8, maxTurns: 6}"}}) {
      ResolvedConfig r = Recipe.resolve(REGISTRY, Recipe.Request.ofEnv(env[0], env[1]));
      assertFalse(r.config().model().has("positions") && r.config().model().get("positions").asText().equals(
          "rotary"), env[0]);
      assertFalse(r.origins().containsKey("model.positions"), env[0]);
    }
  }

  @Test
  void aConfigFilesPositionsWinOverTheRule() {
    ResolvedConfig r = Recipe.resolve(REGISTRY, new Recipe.Request("text-to-sql", "{mode: single-turn, domains: "
        + "[schools], databasesPerDomain: 1, perturbations: 1, questionsPerKind: 20, split: train}",
        "{model: {positions: learned}}", null));
    assertEquals("learned", r.config().model().path("positions").asText());
    assertEquals(Recipe.Source.CONFIG_FILE, r.origins().get("model.positions").source());
  }

  @Test
  void wordsAreRunsOfLettersDigitsDotsAndDashesWithoutATrailingDot() {
    assertEquals(List.of("think", "need", "to", "look", "up", "Ker", "Sista", "think", "search", "Ker", "Sista",
        "search"),
        CopiedText.words("<think>I need to look up Ker Sista.</think>\n<search> Ker Sista </search>"));
    assertEquals(List.of("WHERE", "Enrollment", "K-12", "0.090"), CopiedText.words("WHERE `Enrollment (K-12)` > 0.090"));
  }
}
