package dev.ludus.shaping.combine;

import static dev.ludus.shaping.testing.Groups.column;
import static dev.ludus.shaping.testing.Groups.component;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.ComponentValues;
import dev.ludus.api.Episode;
import dev.ludus.api.RewardCombiner;
import dev.ludus.shaping.ShapingPipeline;
import dev.ludus.shaping.testing.Groups;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class LogSigmoidSumCombinerTest {
  private static final LogSigmoidSumCombinerProvider PROVIDER = new LogSigmoidSumCombinerProvider();

  private static RewardCombiner.Combination combine(Map<String, Double> refs, ComponentValues... cs) {
    return PROVIDER.create(new LogSigmoidSumCombinerProvider.Config(refs)).combine(List.of(cs));
  }

  private static double logSigmoid(double x) {
    return Math.log(1 / (1 + Math.exp(-x)));
  }

  @Test
  void aValueAtItsReferenceGivesMinusWeightTimesLogTwo() {
    double u = combine(Map.of("a", 3.0), component("a", 2.0, column(3.0))).contributions().get(0)[0][0];
    assertEquals(-2 * Math.log(2), u, 1e-12);
  }

  @Test
  void withoutAConfiguredReferenceTheGroupsNormal85thPercentileIsUsed() {
    // values 0 and 2: mean 1, population std 1, reference 1 + 1.0364...
    double[][] u = combine(Map.of(), component("a", 1.0, column(0, 2))).contributions().get(0);
    double ref = 1 + 1.0364333894937898;
    assertEquals(logSigmoid(0 - ref), u[0][0], 1e-12);
    assertEquals(logSigmoid(2 - ref), u[1][0], 1e-12);
  }

  @Test
  void aReferenceMayBeKeyedByTheShaperName() {
    ComponentValues c = new ComponentValues("judge", "helpful", 1.0, Groups.episodes("t", column(1)), column(1.0));
    assertEquals(-Math.log(2), combine(Map.of("judge", 1.0), c).contributions().get(0)[0][0], 1e-12);
    assertEquals(logSigmoid(-1), combine(Map.of("judge", 0.0, "judge/helpful", 2.0), c).contributions().get(0)[0][0],
        1e-12);
  }

  @Property(tries = 200)
  void everyPartIsNegativeAndTheirSumIsAtMostTheSmallest(
      @ForAll @Size(min = 1, max = 5) List<@DoubleRange(min = -30, max = 30) Double> values,
      @ForAll @DoubleRange(min = -30, max = 30) double reference) {
    ComponentValues[] cs = new ComponentValues[values.size()];
    Map<String, Double> refs = new HashMap<>();
    for (int k = 0; k < cs.length; k++) {
      cs[k] = component("c" + k, 1.0, column(values.get(k)));
      refs.put("c" + k, reference);
    }
    RewardCombiner.Combination c = combine(refs, cs);
    double sum = 0;
    double min = Double.POSITIVE_INFINITY;
    for (double[][] part : c.contributions()) {
      assertTrue(part[0][0] < 0, "log σ is negative");
      sum += part[0][0];
      min = Math.min(min, part[0][0]);
    }
    assertTrue(sum <= min, "the AND is no likelier than its least likely part");
  }

  @Property(tries = 200)
  void gainsShrinkForAlreadyGoodOutputs(@ForAll @DoubleRange(min = -20, max = 20) double r) {
    double h = 1e-3;
    RewardCombiner combiner = PROVIDER.create(new LogSigmoidSumCombinerProvider.Config(Map.of("a", 0.0)));
    double u0 = combiner.combine(List.of(component("a", 1.0, column(r)))).contributions().get(0)[0][0];
    double u1 = combiner.combine(List.of(component("a", 1.0, column(r + h)))).contributions().get(0)[0][0];
    double u2 = combiner.combine(List.of(component("a", 1.0, column(r + 2 * h)))).contributions().get(0)[0][0];
    assertTrue(u1 - u0 >= u2 - u1 - 1e-12, "concave");
  }

  @Test
  void configNamesTheBadFieldItsValueAndWhatIsAllowed() {
    Map<String, Double> bad = new HashMap<>();
    bad.put("judge", Double.NaN);
    var e = assertThrows(IllegalArgumentException.class, () -> new LogSigmoidSumCombinerProvider.Config(bad));
    assertEquals("references.judge must be a finite number, was NaN", e.getMessage());
    Map<String, Double> blank = Map.of(" ", 1.0);
    e = assertThrows(IllegalArgumentException.class, () -> new LogSigmoidSumCombinerProvider.Config(blank));
    assertTrue(e.getMessage().startsWith("references keys must name a component"), e.getMessage());
  }

  @Test
  void throughThePipelineEachComponentContributesItsWeightedLogSigmoid() {
    double[][] a = {{0.2, 0.9}, {0.5}};
    double[][] b = {{Double.NaN, 4}, {6}};
    List<Episode> group = Groups.episodes("task-1", a);
    ShapingPipeline pipeline = ShapingPipeline.builder()
        .shaper("a", Groups.table("a", a), 1.0)
        .shaper("b", Groups.table("b", b), 2.0)
        .combiner("log-sigmoid-sum", PROVIDER.create(new LogSigmoidSumCombinerProvider.Config(Map.of("a", 0.5))))
        .build();
    List<Episode> scored = pipeline.score(group);
    double refB = 5 + 1.0364333894937898; // b: {4, 6}, mean 5, population std 1
    double[][] va = {{logSigmoid(0.2 - 0.5), logSigmoid(0.9 - 0.5)}, {logSigmoid(0)}};
    double[][] vb = {{Double.NaN, 2 * logSigmoid(4 - refB)}, {2 * logSigmoid(6 - refB)}};
    double[][] reward = {{va[0][0], va[0][1] + vb[0][1]}, {va[1][0] + vb[1][0]}};
    Groups.assertLedger(scored, Map.of("a", a, "b", b), Map.of("a", va, "b", vb), reward);
  }
}
