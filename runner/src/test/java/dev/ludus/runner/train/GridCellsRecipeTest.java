package dev.ludus.runner.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Registry;
import org.junit.jupiter.api.Test;

/**
 * The recipe's grid cells: an environment may declare the characters its board is drawn with (sokoban does); the
 * recipe does not apply them (measured no better), a config file turns them on ({@code model.bpe.gridCells}), and
 * every environment's default tokenizer is left as it was.
 */
class GridCellsRecipeTest {
  private static final Registry REGISTRY = Registry.load();

  @Test
  void declaredCellsAreOfferedNotAppliedAndAConfigFileTurnsThemOn() {
    ResolvedConfig sokoban = Recipe.resolve(REGISTRY, Recipe.Request.ofEnv("sokoban", null));
    assertTrue(sokoban.config().model().path("bpe").path("gridCells").isMissingNode(),
        sokoban.config().model().toString());
    assertFalse(sokoban.facts().tokenizer().contains("grid cells"), sokoban.facts().tokenizer());
    ResolvedConfig on = Recipe.resolve(REGISTRY, new Recipe.Request("sokoban", null,
        "{model: {bpe: {gridCells: '#_OX*PS'}}}", null));
    assertEquals("#_OX*PS", on.config().model().path("bpe").path("gridCells").asText());
    assertTrue(on.facts().tokenizer().contains("grid cells #_OX*PS"), on.facts().tokenizer());
  }

  @Test
  void environmentsWithoutABoardKeepTheirTokenizer() {
    ResolvedConfig guess = Recipe.resolve(REGISTRY, Recipe.Request.ofEnv("guess-number",
        "{low: 1, high: 8, maxTurns: 4}"));
    assertTrue(guess.config().model().path("bpe").path("gridCells").isMissingNode()
        || guess.config().model().path("bpe").path("gridCells").isNull(), guess.config().model().toString());
    assertFalse(guess.facts().tokenizer().contains("grid cells"), guess.facts().tokenizer());
  }
}
