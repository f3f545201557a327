package dev.ludus.runner.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.Episode;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.learn.UpdateStats;
import dev.ludus.runner.learn.advantage.AdvantageStats;
import dev.ludus.runner.tensorboard.MetricScalars;
import java.util.List;
import org.junit.jupiter.api.Test;

class IterationMetricsTest {

  private static final List<Episode> EPISODES = List.of(ReportTest.episode("r-it3-0", true),
      ReportTest.episode("r-it3-1", false), ReportTest.episode("r-it3-2", true));

  private static UpdateStats update(double loss, int valueSamples) {
    return new UpdateStats(loss, 0.125, 0.01, 0.9, 0.2, 0.15, 0.05, 0.0, 1.01, 0.7, 1.3, 0.003, 0.4, 0.55, 0.6, 0.1,
        valueSamples, 2.5, 480, 12, true, 7, 9, 12, 960, 0.3, 40, 0.02, false);
  }

  private static Iteration iteration(List<UpdateStats> updates, IterationMetrics.Preference preference) {
    AdvantageStats advantages = new AdvantageStats(12, 0.1, 0.9, -1.5, 1.5, new double[] {0.2, -0.1},
        new int[] {6, 6}, 3, 1, 1 / 3.0);
    return new Iteration(EPISODES, updates, 12, 4, 1, 2, 0.75, 3.5, 1.25, 0.5, advantages,
        new Trainer.SamplingStats(true, 2, 5, 3, 2), new IterationMetrics.Layout(true, 4, 1), preference);
  }

  /**
   * The line as the trainer wrote it by hand before the record existed (key by key into an {@code ObjectNode}):
   * the format every existing run has, kept here to hold the record to it byte for byte.
   */
  private static String handWritten(int it, Iteration r, UpdateStats s) throws Exception {
    ObjectNode m = Json.JSON.createObjectNode();
    m.put("iteration", it);
    m.put("policyVersion", s == null ? -1 : s.policyVersion());
    m.put("step", s == null ? -1 : s.step());
    m.put("episodes", r.episodes().size());
    m.put("success", IterationMetrics.success(r.episodes()));
    m.put("return", IterationMetrics.meanShapedReturn(r.episodes()));
    m.put("envReturn", r.episodes().stream().mapToDouble(Episode::totalReward).average().orElse(0));
    m.put("meanTurns", r.episodes().stream().mapToInt(e -> e.turns().size()).average().orElse(0));
    ObjectNode components = m.putObject("components");
    IterationMetrics.componentMeans(r.episodes()).forEach(components::put);
    m.put("applied", s != null && s.applied());
    m.put("loss", s == null ? 0 : s.loss());
    m.put("policyLoss", s == null ? 0 : s.policyLoss());
    m.put("kl", s == null ? 0 : s.kl());
    m.put("entropy", s == null ? 0 : s.entropy());
    m.put("clipFraction", s == null ? 0 : s.clipFraction());
    m.put("clipFractionHigh", s == null ? 0 : s.clipFractionHigh());
    m.put("clipFractionLow", s == null ? 0 : s.clipFractionLow());
    m.put("dualClipFraction", s == null ? 0 : s.dualClipFraction());
    m.put("ratioMean", s == null ? 0 : s.ratioMean());
    m.put("ratioMin", s == null ? 0 : s.ratioMin());
    m.put("ratioMax", s == null ? 0 : s.ratioMax());
    m.put("behaviourKl", s == null ? 0 : s.behaviourKl());
    m.put("klCoefficient", s == null ? 0 : s.klCoefficient());
    m.put("klStopped", s != null && s.klStopped());
    m.put("ptxLoss", s == null ? 0 : s.ptxLoss());
    m.put("ptxTokens", s == null ? 0 : s.ptxTokens());
    if (s != null && s.valueSamples() > 0) {
      m.put("valueLoss", s.valueLoss());
      m.put("valueMean", s.valueMean());
      m.put("valueExplainedVariance", s.valueExplainedVariance());
      m.put("valueClipFraction", s.valueClipFraction());
    }
    m.put("gradNorm", s == null ? 0 : s.gradNorm());
    m.put("samples", r.samples());
    m.put("tokens", s == null ? 0 : s.tokens());
    m.put("updateSamples", s == null ? 0 : s.samples());
    m.put("rows", s == null ? 0 : s.rows());
    m.put("paddedCells", s == null ? 0 : s.paddedCells());
    m.put("trainedTokenShare", s == null ? 0 : s.trainedTokenShare());
    m.set("layout", Json.JSON.valueToTree(r.layout()));
    m.put("zeroAdvantageTurns", r.zeroAdvantageTurns());
    m.set("advantages", Json.JSON.valueToTree(r.advantages()));
    m.set("sampling", Json.JSON.valueToTree(r.sampling()));
    ObjectNode staleness = m.putObject("staleness");
    staleness.put("mean", r.meanStaleness());
    staleness.put("max", r.maxStaleness());
    staleness.put("dropped", r.dropped());
    if (r.preference() != null) {
      m.set("preference", Json.JSON.valueToTree(r.preference()));
    }
    m.put("rolloutWaitSeconds", r.rolloutSeconds());
    m.put("scoringSeconds", r.scoringSeconds());
    m.put("updateSeconds", r.updateSeconds());
    return Json.JSON.writeValueAsString(m);
  }

  @Test
  void theRecordWritesExactlyTheLinesTheTrainerWroteByHand() throws Exception {
    UpdateStats plain = update(0.5, 0);
    UpdateStats critic = update(0.25, 12);
    UpdateStats nan = update(Double.NaN, 0);
    Iteration pg = iteration(List.of(plain, critic, nan), null);
    List<IterationMetrics> lines = pg.metrics(3);
    assertEquals(3, lines.size(), "one line per update");
    assertEquals(handWritten(3, pg, plain), lines.get(0).toJson());
    assertEquals(handWritten(3, pg, critic), lines.get(1).toJson(), "the critic's figures only with a critic");
    assertEquals(handWritten(3, pg, nan), lines.get(2).toJson());
    Iteration none = iteration(List.of(), null);
    assertEquals(List.of(handWritten(5, none, null)), none.metrics(5).stream().map(IterationMetrics::toJson).toList(),
        "one line for an iteration without an update");
    Iteration dpo = iteration(List.of(plain),
        new IterationMetrics.Preference("dpo", 3, 1, 2, 0, 0.5, 0.1, null, -0.2));
    String line = dpo.metrics(0).get(0).toJson();
    assertEquals(handWritten(0, dpo, plain), line);
    assertTrue(line.contains("\"chosenReward\":null"), "a preference figure without a value stays null: " + line);
  }

  @Test
  void aLineReadsBackToTheSameLine() throws Exception {
    Iteration r = iteration(List.of(update(0.5, 12)), new IterationMetrics.Preference("raft", 3, 0, 0, 2, null,
        null, null, null));
    String line = r.metrics(2).get(0).toJson();
    IterationMetrics read = IterationMetrics.read(line);
    assertEquals(line, read.toJson());
    assertEquals(2, read.iteration());
    assertEquals(2 / 3.0, read.success(), 1e-12);
    assertEquals(0.2, read.components().get("info-gain"), 1e-12);
    assertEquals(2, read.sampling().rounds());
    assertEquals(1, read.staleness().dropped());
  }

  @Test
  void aLineWrittenBeforeKeysExistedKeepsThemAbsent() {
    String old = "{\"iteration\":0,\"success\":0.25,\"return\":0.4,\"envReturn\":0.25,"
        + "\"components\":{\"info-gain\":0.3,\"outcome\":0.25},\"loss\":0.5,\"kl\":0.0,\"entropy\":0.9}";
    IterationMetrics m = IterationMetrics.read(old);
    assertNull(m.behaviourKl());
    assertNull(m.advantages());
    assertNull(m.step());
    assertEquals(old, m.toJson(), "nothing added, nothing reordered");
    assertEquals(9, m.plotStep(9), "a line without a step stays at the last one");
    assertFalse(Report.curves(m).containsKey("KL to the behaviour policy"), "no curve made up from a missing key");
    assertEquals(List.of("success", "shaped return", "environment return", "component: info-gain",
        "component: outcome", "loss", "KL", "entropy"), List.copyOf(Report.curves(m).keySet()));
  }

  @Test
  void theScalarsAreTheLinesNumbersAsTensorBoardFlattensThem() throws Exception {
    Iteration r = iteration(List.of(update(Double.NaN, 12)), null);
    IterationMetrics m = r.metrics(1).get(0);
    assertEquals(MetricScalars.flatten(Json.JSON.readTree(m.toJson())), m.scalars());
    assertFalse(m.scalars().containsKey("loss"), "NaN is written as a string, so it is no scalar");
    assertEquals(2.5, m.scalars().get("gradNorm"));
    assertEquals(1.0, m.scalars().get("layout/packed"));
    assertFalse(m.scalars().containsKey("step"), "step is the x axis");
  }

  @Test
  void aLineThatIsNotMetricsIsRefusedNamingWhy() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IterationMetrics.read("[1, 2]"));
    assertTrue(e.getMessage().startsWith("not a metrics line: a JSON object was expected"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> IterationMetrics.read("{\"iteration\":\"zero\"}"));
    assertTrue(e.getMessage().startsWith("not a metrics line: "), e.getMessage());
  }
}
