package dev.ludus.runner.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Registry;
import org.junit.jupiter.api.Test;

/**
 * The recipe's grid cells: an environment that declares the characters its board is drawn with (sokoban) gets a
 * byte-level BPE that keeps each cell one token ({@code model.bpe.gridCells}); every other environment's tokenizer is
 * left as it was, and a config file may turn the option off.
 */
class GridCellsRecipeTest {
  private static final Registry REGISTRY = Registry.load();

  @Test
  void aBoardDrawnWithDeclaredCellsGetsOneTokenACell() {
    ResolvedConfig sokoban = Recipe.resolve(REGISTRY, Recipe.Request.ofEnv("sokoban", null));
    assertEquals("#_OX*PS", sokoban.config().model().path("bpe").path("gridCells").asText());
    assertEquals(Recipe.Source.RECIPE, sokoban.origins().get("model.bpe.gridCells").source());
    assertTrue(sokoban.facts().tokenizer().contains("grid cells #_OX*PS"), sokoban.facts().tokenizer());
  }

  @Test
  void environmentsWithoutABoardKeepTheirTokenizerAndAConfigFileMayTurnItOff() {
    ResolvedConfig guess = Recipe.resolve(REGISTRY, Recipe.Request.ofEnv("guess-number",
        "{low: 1, high: 8, maxTurns: 4}"));
    assertTrue(guess.config().model().path("bpe").path("gridCells").isMissingNode()
        || guess.config().model().path("bpe").path("gridCells").isNull(), guess.config().model().toString());
    assertFalse(guess.facts().tokenizer().contains("grid cells"), guess.facts().tokenizer());
    ResolvedConfig off = Recipe.resolve(REGISTRY, new Recipe.Request("sokoban", null,
        "{model: {bpe: {gridCells: null}}}", null));
    assertFalse(off.facts().tokenizer().contains("grid cells"), off.facts().tokenizer());
  }
}
