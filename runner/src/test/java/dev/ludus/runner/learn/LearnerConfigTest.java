package dev.ludus.runner.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.ConfigException;
import dev.ludus.runner.learn.LearnerConfig.KlEstimator;
import dev.ludus.runner.learn.LearnerConfig.LossAggregation;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class LearnerConfigTest {
  @Test
  void defaultsAreTheDocumentedOnes() {
    LearnerConfig c = LearnerConfig.defaults();
    assertEquals(5e-4, c.learningRate());
    assertEquals(1e-3, c.imitationLearningRate());
    assertEquals(0.9, c.beta1());
    assertEquals(0.999, c.beta2());
    assertEquals(1e-8, c.adamEpsilon());
    assertEquals(0.01, c.weightDecay());
    assertEquals(1.0, c.maxGradNorm());
    assertEquals(0.2, c.clipEpsilon());
    assertEquals(3.0, c.dualClip());
    assertTrue(c.usesDualClip());
    assertFalse(c.withDualClip(0).usesDualClip());
    assertEquals(0.0, c.klCoefficient());
    assertEquals(KlEstimator.K3, c.klEstimator());
    assertEquals(0.0, c.entropyCoefficient());
    assertEquals(LossAggregation.TOKEN_MEAN, c.aggregation());
    assertEquals(16, c.microBatchSize());
    assertEquals(0.5, c.valueCoefficient());
    assertEquals(0.2, c.valueClip());
    assertFalse(c.usesReference());
    assertTrue(c.withKl(0.1, KlEstimator.K1).usesReference());
  }

  @Test
  void everyBadValueIsRejectedWithAMessageNamingItsField() {
    LearnerConfig d = LearnerConfig.defaults();
    Map<String, Supplier<LearnerConfig>> bad = new LinkedHashMap<>();
    bad.put("learningRate", () -> d.withLearningRate(0));
    bad.put("imitationLearningRate", () -> d.withImitationLearningRate(-1e-3));
    bad.put("dualClip", () -> d.withDualClip(1.0));
    bad.put("beta1", () -> d.withAdam(1.0, 0.999, 1e-8, 0.01));
    bad.put("beta2", () -> d.withAdam(0.9, -0.1, 1e-8, 0.01));
    bad.put("adamEpsilon", () -> d.withAdam(0.9, 0.999, Double.NaN, 0.01));
    bad.put("weightDecay", () -> d.withAdam(0.9, 0.999, 1e-8, 2));
    bad.put("maxGradNorm", () -> d.withMaxGradNorm(-1));
    bad.put("clipEpsilon", () -> d.withClipEpsilon(0));
    bad.put("klCoefficient", () -> d.withKl(Double.POSITIVE_INFINITY, KlEstimator.K3));
    bad.put("klEstimator", () -> d.withKl(0.1, null));
    bad.put("entropyCoefficient", () -> d.withEntropyCoefficient(-0.01));
    bad.put("aggregation", () -> d.withAggregation(null));
    bad.put("microBatchSize", () -> d.withMicroBatchSize(0));
    bad.put("valueCoefficient", () -> d.withValueLoss(-0.5, 0.2));
    bad.put("valueClip", () -> d.withValueLoss(0.5, Double.NaN));
    bad.forEach((field, make) -> {
      ConfigException e = assertThrows(ConfigException.class, make::get, field);
      assertTrue(e.getMessage().startsWith(field + " must be"), field + ": " + e.getMessage());
      assertTrue(e.getMessage().contains("was"), "the message shows the bad value: " + e.getMessage());
    });
  }
}
