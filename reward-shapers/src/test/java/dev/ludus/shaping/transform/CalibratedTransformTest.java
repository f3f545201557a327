package dev.ludus.shaping.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.ComponentValues;
import dev.ludus.api.Episode;
import dev.ludus.api.RewardTransform;
import dev.ludus.shaping.testing.EpisodeBuilder;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

class CalibratedTransformTest {
  private static final CalibratedTransformProvider PROVIDER = new CalibratedTransformProvider();

  private static RewardTransform calibrated(String mode) {
    return PROVIDER.create(new CalibratedTransformProvider.Config(mode, 0.1, 0.5));
  }

  /** Episodes e0.. whose last agent message is {@code last[i]}, each with {@code turns} turns. */
  private static List<Episode> episodes(int turns, String... last) {
    List<Episode> out = new ArrayList<>();
    for (int i = 0; i < last.length; i++) {
      EpisodeBuilder b = EpisodeBuilder.on("task-1").id("e" + i);
      for (int t = 0; t < turns - 1; t++) {
        b.turn("thinking, Confidence: 0", 0);
      }
      out.add(b.turn(last[i], 0).build());
    }
    return out;
  }

  private static ComponentValues values(List<Episode> episodes, double[][] v) {
    return new ComponentValues("judge", "judge", 1.0, episodes, v);
  }

  @Test
  void theConfidenceIsTheFirstStatedNumberClampedToZeroToTenOrFiveWhenAbsent() {
    assertEquals(7.0, CalibratedTransformProvider.confidence("Paris. Confidence: 7"), 0.0);
    assertEquals(9.5, CalibratedTransformProvider.confidence("confidence:9.5, confidence: 2"), 0.0);
    assertEquals(7.0, CalibratedTransformProvider.confidence("Confidence: 7/10"), 0.0);
    assertEquals(10.0, CalibratedTransformProvider.confidence("Confidence: 42"), 0.0);
    assertEquals(5.0, CalibratedTransformProvider.confidence("I am quite sure"), 0.0);
    assertEquals(5.0, CalibratedTransformProvider.confidence(EpisodeBuilder.on("t").build()), 0.0);
  }

  @Property(tries = 300)
  void aConfidenceOfFiveLeavesTheRewardUnchanged(@ForAll @DoubleRange(min = -10, max = 10) double r,
      @ForAll @DoubleRange(min = -10, max = 10) double other, @ForAll boolean threshold) {
    List<Episode> eps = episodes(1, "answer. Confidence: 5", "answer. Confidence: 9");
    double[][] out = calibrated(threshold ? "threshold" : "difference")
        .apply(values(eps, new double[][] {{r}, {other}}));
    assertEquals(r, out[0][0], 0.0);
  }

  @Property(tries = 300)
  void aBelowAverageResponseLosesRewardAsItsConfidenceRises(@ForAll @DoubleRange(min = -10, max = 10) double r,
      @ForAll @DoubleRange(min = 0.01, max = 10) double gap, @ForAll @DoubleRange(min = 0, max = 10) double low,
      @ForAll @DoubleRange(min = 0, max = 10) double high, @ForAll boolean threshold) {
    if (low >= high) {
      return;
    }
    String mode = threshold ? "threshold" : "difference";
    double[][] v = {{r}, {Math.min(10, r + 2 * gap)}}; // the first is below the batch mean
    if (!(v[0][0] < (v[0][0] + v[1][0]) / 2)) {
      return;
    }
    double atLow = calibrated(mode).apply(values(episodes(1, "Confidence: " + low, "x"), v))[0][0];
    double atHigh = calibrated(mode).apply(values(episodes(1, "Confidence: " + high, "x"), v))[0][0];
    assertTrue(atHigh <= atLow, mode + ": " + atLow + " at c=" + low + " but " + atHigh + " at c=" + high);
    if (r != 0 || !threshold) {
      assertTrue(atHigh < atLow, "strictly");
    }
  }

  @Test
  void theThresholdModeRewardsConfidenceAboveTheBaselineAndPenalizesItBelow() {
    List<Episode> eps = episodes(1, "Confidence: 9", "Confidence: 9");
    double[][] out = calibrated("threshold").apply(values(eps, new double[][] {{2}, {-4}})); // baseline −1
    assertEquals(2 + 0.5 * 2 * 0.4, out[0][0], 1e-12);
    assertEquals(-4 - 0.5 * 4 * 0.4, out[1][0], 1e-12);
  }

  @Test
  void theDifferenceModeScalesTheDistanceToTheBaseline() {
    List<Episode> eps = episodes(1, "Confidence: 10", "Confidence: 0");
    double[][] out = calibrated("difference").apply(values(eps, new double[][] {{3}, {1}})); // baseline 2
    assertEquals(3 + 0.5 * 1 * 0.5, out[0][0], 1e-12);
    assertEquals(1 + 0.5 * -1 * -0.5, out[1][0], 1e-12);
  }

  @Test
  void theBaselineStartsAtTheFirstBatchMeanOfClampedRewardsThenMovesByEma() {
    CalibratedTransformProvider.Calibrated t = (CalibratedTransformProvider.Calibrated) calibrated("threshold");
    List<Episode> eps = episodes(1, "x", "x");
    double[][] out = t.apply(values(eps, new double[][] {{50}, {0}}));
    assertEquals(10.0, out[0][0], 0.0);
    assertEquals(5.0, t.baseline("judge"), 0.0);
    t.apply(values(eps, new double[][] {{-10}, {-10}}));
    assertEquals(0.1 * -10 + 0.9 * 5, t.baseline("judge"), 1e-12);
  }

  @Test
  void theLastAgentMessagesConfidenceAppliesToEveryTurnOfTheEpisode() {
    List<Episode> eps = episodes(2, "Confidence: 10", "Confidence: 10");
    double[][] out = calibrated("threshold").apply(values(eps, new double[][] {{4, 4}, {-4, Double.NaN}}));
    assertEquals(4 + 0.5 * 4 * 0.5, out[0][0], 1e-12); // baseline 4/3: above it
    assertEquals(4 + 0.5 * 4 * 0.5, out[0][1], 1e-12);
    assertEquals(-4 - 0.5 * 4 * 0.5, out[1][0], 1e-12);
    assertTrue(Double.isNaN(out[1][1]));
  }

  @Test
  void configNamesTheBadFieldItsValueAndWhatIsAllowed() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> new CalibratedTransformProvider.Config("ratio", 0.1, 0.5));
    assertEquals("mode must be one of threshold, difference, was 'ratio'", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new CalibratedTransformProvider.Config("threshold", 0, 0.5));
    assertEquals("alpha must be a number in (0, 1], was 0.0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new CalibratedTransformProvider.Config("threshold", 1, -1));
    assertEquals("w must be a number in [0, 10], was -1.0", e.getMessage());
  }

  @Test
  void throughThePipelineTheTargetedComponentIsCalibratedByTheStatedConfidence() {
    List<Episode> eps = episodes(1, "It is 4. Confidence: 8", "It is 5. Confidence: 8");
    double[][] a = {{1}, {-1}}; // baseline 0
    TransformPipeline.assertTargetedThroughPipeline("calibrated", calibrated("threshold"), eps, a,
        new double[][] {{1 + 0.5 * 1 * 0.3}, {-1 - 0.5 * 1 * 0.3}});
  }
}
