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
    assertEquals(LearnerConfig.LabelSource.GREEDY_FAILURES, c.ptxLabelsFrom());
    assertEquals(1.0, c.ptxLabelWeight());
    assertEquals(0, c.daggerSteps());
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
    bad.put("ptxRows", () -> d.withPtxRows(-1));
    bad.put("ptxLabels", () -> d.withPtxLabels(-1));
    bad.put("ptxLabelWeight", () -> d.withLabels(LearnerConfig.LabelSource.SAMPLED, -0.5));
    bad.put("daggerSteps", () -> d.withDaggerSteps(-1));
    bad.forEach((field, make) -> {
      ConfigException e = assertThrows(ConfigException.class, make::get, field);
      assertTrue(e.getMessage().startsWith(field + " must be"), field + ": " + e.getMessage());
      assertTrue(e.getMessage().contains("was"), "the message shows the bad value: " + e.getMessage());
    });
  }

  @Test
  void eachWitherChangesOnlyTheComponentsItNames() {
    LearnerConfig d = LearnerConfig.defaults();
    Map<String, LearnerConfig> changed = new LinkedHashMap<>();
    changed.put("learningRate", d.withLearningRate(0.123));
    changed.put("imitationLearningRate", d.withImitationLearningRate(0.123));
    changed.put("adam", d.withAdam(0.5, 0.6, 1e-3, 0.7));
    changed.put("maxGradNorm", d.withMaxGradNorm(7));
    changed.put("clipEpsilon", d.withClipEpsilon(0.3));
    changed.put("dualClip", d.withDualClip(5));
    changed.put("kl", d.withKl(0.4, KlEstimator.K1));
    changed.put("entropyCoefficient", d.withEntropyCoefficient(0.05));
    changed.put("aggregation", d.withAggregation(LossAggregation.SEQUENCE_MEAN));
    changed.put("microBatchSize", d.withMicroBatchSize(3));
    changed.put("valueLoss", d.withValueLoss(0.9, 0.4));
    changed.put("packing", d.withPacking(false));
    changed.put("microBatchTokens", d.withMicroBatchTokens(99));
    changed.put("ptxCoefficient", d.withPtxCoefficient(0.8));
    changed.put("targetKl", d.withTargetKl(0.03));
    changed.put("ptxRows", d.withPtxRows(64));
    changed.put("ptxLabels", d.withPtxLabels(512));
    changed.put("labels", d.withLabels(LearnerConfig.LabelSource.SAMPLED, 0.25));
    changed.put("daggerSteps", d.withDaggerSteps(8));
    // each change undone by the same wither with the default's value gives the defaults back: a wither that set
    // another component as well (or instead) would not
    Map<String, LearnerConfig> undone = new LinkedHashMap<>();
    undone.put("learningRate", changed.get("learningRate").withLearningRate(d.learningRate()));
    undone.put("imitationLearningRate",
        changed.get("imitationLearningRate").withImitationLearningRate(d.imitationLearningRate()));
    undone.put("adam", changed.get("adam").withAdam(d.beta1(), d.beta2(), d.adamEpsilon(), d.weightDecay()));
    undone.put("maxGradNorm", changed.get("maxGradNorm").withMaxGradNorm(d.maxGradNorm()));
    undone.put("clipEpsilon", changed.get("clipEpsilon").withClipEpsilon(d.clipEpsilon()));
    undone.put("dualClip", changed.get("dualClip").withDualClip(d.dualClip()));
    undone.put("kl", changed.get("kl").withKl(d.klCoefficient(), d.klEstimator()));
    undone.put("entropyCoefficient", changed.get("entropyCoefficient").withEntropyCoefficient(d.entropyCoefficient()));
    undone.put("aggregation", changed.get("aggregation").withAggregation(d.aggregation()));
    undone.put("microBatchSize", changed.get("microBatchSize").withMicroBatchSize(d.microBatchSize()));
    undone.put("valueLoss", changed.get("valueLoss").withValueLoss(d.valueCoefficient(), d.valueClip()));
    undone.put("packing", changed.get("packing").withPacking(d.packing()));
    undone.put("microBatchTokens", changed.get("microBatchTokens").withMicroBatchTokens(d.microBatchTokens()));
    undone.put("ptxCoefficient", changed.get("ptxCoefficient").withPtxCoefficient(d.ptxCoefficient()));
    undone.put("targetKl", changed.get("targetKl").withTargetKl(d.targetKl()));
    undone.put("ptxRows", changed.get("ptxRows").withPtxRows(d.ptxRows()));
    undone.put("ptxLabels", changed.get("ptxLabels").withPtxLabels(d.ptxLabels()));
    undone.put("labels", changed.get("labels").withLabels(d.ptxLabelsFrom(), d.ptxLabelWeight()));
    undone.put("daggerSteps", changed.get("daggerSteps").withDaggerSteps(d.daggerSteps()));
    for (String name : changed.keySet()) {
      assertFalse(d.equals(changed.get(name)), name + " changed something");
      assertEquals(d, undone.get(name), name);
    }
    assertEquals(d, d.withKlControl(d.klControl()));
  }
}
