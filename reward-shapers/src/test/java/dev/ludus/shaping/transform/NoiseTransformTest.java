package dev.ludus.shaping.transform;

import static dev.ludus.shaping.testing.Groups.column;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.ComponentValues;
import dev.ludus.api.Episode;
import dev.ludus.api.RewardTransform;
import dev.ludus.shaping.testing.Groups;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class NoiseTransformTest {
  private static final NoiseTransformProvider PROVIDER = new NoiseTransformProvider();

  private static ComponentValues on(String task, String label, double[][] v) {
    return new ComponentValues(label, label, 1.0, Groups.episodes(task, v), v);
  }

  @Test
  void theDefaultFlipsNothing() {
    RewardTransform t = PROVIDER.create(PROVIDER.defaultConfig());
    for (int k = 0; k < 200; k++) {
      assertArrayEquals(new double[] {0.25}, t.apply(on("task-" + k, "a", column(0.25)))[0], 0.0);
    }
  }

  @Test
  void atProbabilityOneEveryRewardBecomesOneMinusItAndEmptyCellsStayEmpty() {
    double[][] out = PROVIDER.create(new NoiseTransformProvider.Config(1, 7))
        .apply(on("task-1", "a", new double[][] {{1, Double.NaN}, {0.25}}));
    assertEquals(0.0, out[0][0], 0.0);
    assertTrue(Double.isNaN(out[0][1]));
    assertEquals(0.75, out[1][0], 0.0);
  }

  @Test
  void theFlipIsDecidedBySeedAndTaskAloneForEveryComponentOfTheGroup() {
    NoiseTransformProvider.Config config = new NoiseTransformProvider.Config(0.5, 11);
    for (int k = 0; k < 50; k++) {
      String task = "task-" + k;
      double a = PROVIDER.create(config).apply(on(task, "a", column(1)))[0][0];
      double again = PROVIDER.create(config).apply(on(task, "a", column(1)))[0][0];
      double b = PROVIDER.create(config).apply(on(task, "b", column(1)))[0][0];
      assertEquals(a, again, 0.0);
      assertEquals(a, b, 0.0);
    }
    long differ = IntStream.range(0, 200).filter(k -> NoiseTransformProvider.flips(config, "task-" + k)
        != NoiseTransformProvider.flips(new NoiseTransformProvider.Config(0.5, 12), "task-" + k)).count();
    assertNotEquals(0, differ, "another seed decides otherwise for some tasks");
  }

  @Test
  void aboutAFractionPOfTasksFlip() {
    NoiseTransformProvider.Config config = new NoiseTransformProvider.Config(0.3, 3);
    long flipped = IntStream.range(0, 4000).filter(k -> NoiseTransformProvider.flips(config, "env/" + k)).count();
    assertEquals(0.3, flipped / 4000.0, 0.03);
  }

  @Test
  void configNamesTheBadFieldItsValueAndWhatIsAllowed() {
    var e = assertThrows(IllegalArgumentException.class, () -> new NoiseTransformProvider.Config(1.5, 0));
    assertEquals("p must be a probability in [0, 1], was 1.5", e.getMessage());
  }

  @Test
  void throughThePipelineOnlyTheTargetedComponentIsFlipped() {
    double[][] a = {{1, 0}, {0.25}};
    List<Episode> scored = TransformPipeline.assertTargetedThroughPipeline("noise",
        PROVIDER.create(new NoiseTransformProvider.Config(1, 0)), "task-1", a, new double[][] {{0, 1}, {0.75}});
    assertEquals(2, scored.size());
  }
}
