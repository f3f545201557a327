package dev.ludus.shaping.transform;

import dev.ludus.api.Episode;
import dev.ludus.api.RewardTransform;
import dev.ludus.shaping.ShapingPipeline;
import dev.ludus.shaping.testing.Groups;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The end-to-end check every transform test runs: a transform inside a real shaping pipeline. */
final class TransformPipeline {
  private TransformPipeline() {}

  /**
   * Scores a group with two shapers, {@code a} (weight 2, targeted by {@code transform}) and {@code b}
   * (weight 1, 0.25 on every turn, untouched), under the weighted sum; checks that the ledger keeps the raw
   * values of both, that {@code a}'s entries carry {@code 2 · expectedA} and {@code b}'s 0.25, and that each
   * turn's reward is their sum.
   */
  static List<Episode> assertTargetedThroughPipeline(String name, RewardTransform transform, String task,
      double[][] a, double[][] expectedA) {
    return assertTargetedThroughPipeline(name, transform, Groups.episodes(task, a), a, expectedA);
  }

  /** The same on given episodes (ids {@code e0, e1, ...}, shaped like {@code a}). */
  static List<Episode> assertTargetedThroughPipeline(String name, RewardTransform transform, List<Episode> group,
      double[][] a, double[][] expectedA) {
    double[][] b = new double[a.length][];
    double[][] valueA = new double[a.length][];
    double[][] reward = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      b[i] = new double[a[i].length];
      valueA[i] = new double[a[i].length];
      reward[i] = new double[a[i].length];
      for (int t = 0; t < a[i].length; t++) {
        b[i][t] = 0.25;
        valueA[i][t] = Double.isNaN(a[i][t]) ? Double.NaN : 2 * expectedA[i][t];
        reward[i][t] = (Double.isNaN(a[i][t]) ? 0 : valueA[i][t]) + 0.25;
      }
    }
    ShapingPipeline pipeline = ShapingPipeline.builder()
        .shaper("a", Groups.table("a", a), 2.0)
        .shaper("b", Groups.table("b", b), 1.0)
        .transform(name, transform, Set.of("a"))
        .build();
    List<Episode> scored = pipeline.score(group);
    Groups.assertLedger(scored, Map.of("a", a, "b", b), Map.of("a", valueA, "b", b), reward);
    return scored;
  }
}
