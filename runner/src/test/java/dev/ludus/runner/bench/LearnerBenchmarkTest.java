package dev.ludus.runner.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.ludus.agents.djl.LanguageModel;
import dev.ludus.api.Registry;
import dev.ludus.runner.learn.Sample;
import dev.ludus.runner.train.TrainConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LearnerBenchmarkTest {
  private static final String TINY = """
      envConfig: {low: 1, high: 4, maxTurns: 2}
      model: {layers: 1, width: 32, heads: 2, context: 320}
      learner: {microBatchSize: 4}
      tasksPerIteration: 2
      groupSize: 4
      concurrency: 8
      seed: 3
      """;

  @Test
  void theBenchOnATinySpecCountsTheSameTokensOnBothSidesAndGivesAFiniteRatio() throws Exception {
    LearnerBenchmark.Result r = LearnerBenchmark.run(Registry.load(), TrainConfig.read(TINY), 1, 2);
    LearnerBenchmark.Batch b = r.batch();
    assertEquals(8, b.episodes(), "2 tasks x 4 episodes");
    assertTrue(b.samples() >= b.episodes(), "at least one agent turn per episode: " + b);
    assertEquals((b.samples() + 3) / 4, b.microBatches(), "micro-batches of 4: " + b);
    assertTrue(b.outputTokens() > 0, b.toString());
    assertEquals(b.outputTokens(), r.learnerTokens(), "the learner trained on every output token of the batch");
    assertEquals(r.learnerTokens(), r.bareTokens(), "both sides count the same tokens");
    assertEquals(2, r.learner().size());
    assertEquals(2, r.bare().size());
    assertTrue(Double.isFinite(r.ratio()) && r.ratio() > 0, "ratio " + r.ratio());
    assertEquals(2, r.roundRatios().size());
    assertTrue(Double.isFinite(r.cpuRatio()) && r.cpuRatio() > 0, "CPU-time ratio " + r.cpuRatio());
    LearnerBenchmark.Packing p = r.packing();
    assertEquals(b.samples(), p.perTurnRows(), "one row per agent turn");
    assertEquals(b.paddedTokens(), p.perTurnCells(), "the learner's per-turn micro-batches are the bare loop's");
    assertTrue(p.packedRows() >= b.episodes(), "at least one row per episode: " + p);
    assertTrue(p.packedRows() == b.episodes() || p.splitEpisodes() > 0, "more only where one was split: " + p);
    assertTrue(p.packedRows() < p.perTurnRows(), "two-turn episodes share a row: " + p);
    assertTrue(p.packedCells() < p.perTurnCells(), "the history is read once: " + p);
    assertTrue(p.packedShare() > p.perTurnShare(), p.toString());
    assertEquals(2, p.packed().size());
    assertTrue(Double.isFinite(r.packedSpeedUp()) && r.packedSpeedUp() > 0, "speed-up " + r.packedSpeedUp());
    assertTrue(Double.isFinite(r.packedCpuSpeedUp()) && r.packedCpuSpeedUp() > 0);
  }

  @Test
  void theBareStepChangesTheWeights() {
    try (LanguageModel model = LanguageModel.create(new LanguageModel.Spec(1, 16, 2, 32, 12), "cpu", 1)) {
      List<LearnerBenchmark.Padded> batches = LearnerBenchmark.Padded.of(samples(), 2);
      float[][] before = parameters(model);
      double seconds = LearnerBenchmark.bareStep(model, batches);
      float[][] after = parameters(model);
      assertTrue(seconds > 0);
      int changed = 0;
      for (int i = 0; i < before.length; i++) {
        for (float x : after[i]) {
          assertTrue(Float.isFinite(x), "parameter " + i + " stays finite");
        }
        if (!Arrays.equals(before[i], after[i])) {
          changed++;
        }
      }
      assertTrue(changed > before.length / 2, changed + " of " + before.length + " parameters changed");
      assertEquals(1, model.version(), "the step ran under the model's write lock, as an update");
    }
  }

  @Test
  void thePaddedBatchesWeighEveryOutputTokenOnceAndNothingElse() {
    List<Sample> samples = samples();
    List<LearnerBenchmark.Padded> batches = LearnerBenchmark.Padded.of(samples, 2);
    assertEquals(2, batches.size(), "3 samples in micro-batches of 2");
    long outputs = samples.stream().mapToLong(Sample::outputLength).sum();
    double sum = 0;
    int weighted = 0;
    for (LearnerBenchmark.Padded b : batches) {
      for (float w : b.weights) {
        sum += w;
        weighted += w > 0 ? 1 : 0;
      }
    }
    assertEquals(1.0, sum, 1e-6, "a token mean over the whole batch");
    assertEquals(outputs, weighted, "one weighted cell per output token");
    LearnerBenchmark.Padded first = batches.get(0);
    assertEquals(5, first.width, "the longest row: 3 prompt + 2 output tokens");
    // row 1 is prompt [1, 4] then output [9]: its output token is predicted at column 1, its padding is masked
    int cols = first.width - 1;
    assertTrue(first.weights[cols + 1] > 0);
    assertEquals(0f, first.weights[cols]);
    assertEquals(0f, first.weights[cols + 2]);
    assertEquals(0f, first.attention[first.width + 3], "padding is not attended to");
    assertFalse(first.ids[first.width + 2] == 0, "the output token follows its prompt");
  }

  private static List<Sample> samples() {
    List<Sample> out = new ArrayList<>();
    out.add(sample(new int[] {1, 5, 6}, new int[] {7, 8}));
    out.add(sample(new int[] {1, 4}, new int[] {9}));
    out.add(sample(new int[] {1, 5, 6, 10}, new int[] {11, 7, 8}));
    return out;
  }

  private static Sample sample(int[] prompt, int[] output) {
    float[] behaviour = new float[output.length];
    float[] advantages = new float[output.length];
    Arrays.fill(behaviour, -2f);
    Arrays.fill(advantages, 1f);
    return new Sample(prompt, output, behaviour, advantages, null, 0);
  }

  private static float[][] parameters(LanguageModel model) {
    List<float[]> out = new ArrayList<>();
    for (Pair<String, Parameter> p : model.parameters()) {
      out.add(p.getValue().getArray().toFloatArray());
    }
    return out.toArray(new float[0][]);
  }
}
