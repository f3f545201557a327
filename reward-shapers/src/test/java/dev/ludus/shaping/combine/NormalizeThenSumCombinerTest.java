package dev.ludus.shaping.combine;

import static dev.ludus.shaping.testing.Groups.column;
import static dev.ludus.shaping.testing.Groups.component;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.ComponentValues;
import dev.ludus.api.Episode;
import dev.ludus.api.RewardCombiner;
import dev.ludus.shaping.ShapingPipeline;
import dev.ludus.shaping.testing.Groups;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class NormalizeThenSumCombinerTest {
  private static final NormalizeThenSumCombinerProvider PROVIDER = new NormalizeThenSumCombinerProvider();

  private static RewardCombiner.Combination combine(String scope, ComponentValues... cs) {
    return PROVIDER.create(new NormalizeThenSumCombinerProvider.Config(scope, 1e-4)).combine(List.of(cs));
  }

  @Test
  void eachComponentIsZScoredOverItsGroupOnItsOwnThenWeighted() {
    // a: mean 0.5, sample std sqrt(1/3); b: mean 25, sample std sqrt(500/3)
    RewardCombiner.Combination c = combine("group",
        component("a", 1.0, column(1, 0, 0, 1)), component("b", 2.0, column(10, 20, 30, 40)));
    double sa = Math.sqrt(1.0 / 3) + 1e-4;
    double sb = Math.sqrt(500.0 / 3) + 1e-4;
    assertEquals(0.5 / sa, c.contributions().get(0)[0][0], 1e-12);
    assertEquals(-0.5 / sa, c.contributions().get(0)[1][0], 1e-12);
    assertEquals(2.0 * -15 / sb, c.contributions().get(1)[0][0], 1e-12);
    assertEquals(2.0 * 15 / sb, c.contributions().get(1)[3][0], 1e-12);
    assertEquals(null, c.adjustment());
  }

  @Test
  void twoRewardCombinationsThatGrpoCollapsesStayApart() {
    // GDPO's example: (1,0) and (0,1) sum to the same 1 under GRPO; decoupled they differ once scales differ
    RewardCombiner.Combination c = combine("group",
        component("a", 1.0, column(1, 0, 0)), component("b", 1.0, column(0, 1, 1)));
    double[][] r = Groups.turnRewards(c, column(0, 0, 0));
    assertNotEquals(r[0][0], r[1][0]);
  }

  @Property(tries = 200)
  void eachComponentIsCenteredOverTheGroup(@ForAll @Size(min = 1, max = 8) List<@DoubleRange(min = -1e3, max = 1e3)
      Double> xs, @ForAll @DoubleRange(min = -5, max = 5) double weight) {
    double[] v = xs.stream().mapToDouble(Double::doubleValue).toArray();
    double[][] contribution = combine("group", component("a", weight, column(v))).contributions().get(0);
    double sum = 0;
    for (double[] row : contribution) {
      sum += row[0];
    }
    assertEquals(0.0, sum, 1e-9 * v.length * Math.max(1, Math.abs(weight)));
  }

  @Test
  void aComponentOnWhichAllEpisodesAgreeContributesExactlyNothing() {
    double[][] r = combine("group", component("a", 1.0, column(0.1, 0.1, 0.1))).contributions().get(0);
    for (double[] row : r) {
      assertEquals(0.0, row[0], 0.0);
    }
  }

  @Test
  void aCellWithNoValueStaysEmptyAndAWeightOfZeroContributesZero() {
    double[][] v = {{1, Double.NaN}, {3, 5}};
    RewardCombiner.Combination c = combine("group", component("a", 0.0, v), component("b", 1.0, v));
    assertEquals(0.0, c.contributions().get(0)[1][1], 0.0);
    assertTrue(Double.isNaN(c.contributions().get(1)[0][1]));
  }

  @Test
  void turnScopeNormalizesEachTurnIndexApart() {
    double[][] v = {{0, 100}, {1, 300}};
    double[][] byTurn = combine("turn", component("a", 1.0, v)).contributions().get(0);
    assertEquals(byTurn[0][0], byTurn[0][1], 1e-3); // equal but for ε, which weighs more on the smaller std
    assertEquals(-byTurn[1][0], byTurn[0][0], 1e-12);
    double[][] pooled = combine("group", component("a", 1.0, v)).contributions().get(0);
    assertTrue(pooled[0][1] > pooled[1][0]);
  }

  @Test
  void configNamesTheBadFieldItsValueAndWhatIsAllowed() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> new NormalizeThenSumCombinerProvider.Config("episode", 1e-4));
    assertEquals("scope must be one of group, turn, was 'episode'", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new NormalizeThenSumCombinerProvider.Config("group", -1));
    assertEquals("epsilon must be a number in [0, 1], was -1.0", e.getMessage());
  }

  @Test
  void throughThePipelineTheLedgerKeepsRawValuesAndSumsToTheNormalizedReward() {
    double[][] a = {{1, 0}, {0}, {1, 1, 0}};
    double[][] b = {{Double.NaN, 5}, {7}, {9, Double.NaN, Double.NaN}};
    List<Episode> group = Groups.episodes("task-1", a);
    ShapingPipeline pipeline = ShapingPipeline.builder()
        .shaper("a", Groups.table("a", a), 1.0)
        .shaper("b", Groups.table("b", b), 0.5)
        .combiner("normalize-then-sum", PROVIDER.create(PROVIDER.defaultConfig()))
        .build();
    List<Episode> scored = pipeline.score(group);
    // a: values {1,0,0,1,1,0}: mean 0.5, sample std sqrt(1.5/5); b: {5,7,9}: mean 7, sample std 2
    double sa = Math.sqrt(0.3) + 1e-4;
    double sb = 2 + 1e-4;
    double[][] va = new double[a.length][];
    double[][] vb = new double[b.length][];
    double[][] reward = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      va[i] = new double[a[i].length];
      vb[i] = new double[a[i].length];
      reward[i] = new double[a[i].length];
      for (int t = 0; t < a[i].length; t++) {
        va[i][t] = (a[i][t] - 0.5) / sa;
        vb[i][t] = Double.isNaN(b[i][t]) ? Double.NaN : 0.5 * (b[i][t] - 7) / sb;
        reward[i][t] = va[i][t] + (Double.isNaN(vb[i][t]) ? 0 : vb[i][t]);
      }
    }
    Groups.assertLedger(scored, Map.of("a", a, "b", b), Map.of("a", va, "b", vb), reward);
  }
}
