package dev.ludus.environments.sparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.environments.text.ActionText.Direction;
import java.util.List;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class SokobanLevelPropertyTest {

  @Property(tries = 150)
  void everyGeneratedLevel_isSolvableInItsStatedMoves_andNotAlreadySolved(
      @ForAll long seed,
      @ForAll @IntRange(min = 3, max = 7) int width,
      @ForAll @IntRange(min = 3, max = 7) int height,
      @ForAll @IntRange(min = 1, max = 2) int boxes,
      @ForAll @IntRange(min = 1, max = 25) int reverseSteps) {
    Assume.that(boxes <= width * height / 4);
    SokobanConfig config = new SokobanConfig(width, height, boxes, reverseSteps, 30);
    SokobanLevel level = SokobanGenerator.generate(config, seed);

    assertEquals(height + 2, level.rows);
    assertEquals(width + 2, level.cols);
    assertEquals(boxes, level.boxCount());
    SokobanGame game = new SokobanGame(level);
    assertFalse(game.solved(), () -> "already solved:\n" + level);
    assertTrue(level.optimalMoves() >= 1 && level.optimalMoves() <= reverseSteps,
        () -> "stated solution length " + level.optimalMoves() + " outside 1.." + reverseSteps);

    List<Direction> solution = SokobanSolver.solve(level).orElseThrow(() -> new AssertionError("unsolvable:\n" + level));
    assertEquals(level.optimalMoves(), solution.size(), () -> "generator and solver disagree on\n" + level);
    for (int i = 0; i < solution.size(); i++) {
      assertFalse(game.solved(), "solved before the end of the solution");
      SokobanGame.Outcome o = game.move(solution.get(i));
      assertTrue(o == SokobanGame.Outcome.MOVED || o == SokobanGame.Outcome.PUSHED, "solution move " + i + " was " + o);
    }
    assertTrue(game.solved(), () -> "the solution does not solve\n" + level);
  }

  @Property(tries = 50)
  void everyBoardAlongTheSolution_isDrawnWithTheDeclaredGridCells(@ForAll long seed) {
    SokobanConfig config = new SokobanConfig(5, 5, 2, 12, 30);
    String cells = new SokobanProvider().gridCells(config);
    SokobanLevel level = SokobanGenerator.generate(config, seed);
    SokobanGame game = new SokobanGame(level);
    List<Direction> solution = SokobanSolver.solve(level).orElseThrow();
    for (int i = 0; i <= solution.size(); i++) {
      for (String row : game.render().split("\n")) {
        assertEquals(config.width() + 2, row.length());
        assertTrue(row.chars().allMatch(c -> cells.indexOf(c) >= 0), () -> "'" + row + "' has a character not in "
            + cells + ", so the tokenizer would merge it with its neighbours");
      }
      if (i < solution.size()) {
        game.move(solution.get(i));
      }
    }
  }

  @Property(tries = 50)
  void theSameSeed_givesTheSameLevel(@ForAll long seed) {
    SokobanConfig config = new SokobanConfig(6, 6, 2, 20, 30);
    assertEquals(SokobanGenerator.generate(config, seed).render(), SokobanGenerator.generate(config, seed).render());
  }

  @Property(tries = 50)
  void aRenderedLevel_readsBackAsTheSameLevel(@ForAll long seed) {
    SokobanLevel level = SokobanGenerator.generate(new SokobanConfig(7, 5, 2, 12, 30), seed);
    SokobanLevel read = SokobanLevel.parse(level.render());
    assertEquals(level.render(), read.render());
    assertEquals(level.player(), read.player());
    assertEquals(java.util.Arrays.toString(level.boxes()), java.util.Arrays.toString(read.boxes()));
    assertEquals(java.util.Arrays.toString(level.targets()), java.util.Arrays.toString(read.targets()));
  }
}
