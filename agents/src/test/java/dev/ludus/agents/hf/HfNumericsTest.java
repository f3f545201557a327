package dev.ludus.agents.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.agents.djl.GenerationProbe;
import dev.ludus.agents.djl.LanguageModel;
import dev.ludus.agents.djl.LmTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DJL's forward pass of each supported architecture matches an independent numpy implementation (float64) on tiny
 * random models written in the Hugging Face layout: the logits of whole sequences (batched, so left padding is
 * covered) and the tokens and log-probs of greedy generation through the key/value cache, token by token.
 *
 * <p>Tolerance: |djl - numpy| <= 2e-4 * max(1, |numpy|) per logit (fp32 against float64 on logits of magnitude up to
 * about 10); the log-probs generation records within 2e-4 of the reference's.
 */
class HfNumericsTest {
  static final double TOLERANCE = 2e-4;

  @TempDir
  static Path dir;

  @BeforeAll
  static void offline() {
    System.setProperty("ai.djl.offline", "true");
  }

  static ObjectNode config(String arch) {
    return switch (arch) {
      case "llama" -> TinyHfModels.llama();
      case "qwen2" -> TinyHfModels.qwen2();
      case "qwen3" -> TinyHfModels.qwen3();
      default -> throw new IllegalArgumentException(arch);
    };
  }

  @ParameterizedTest
  @ValueSource(strings = {"llama", "qwen2", "qwen3", "qwen3-sharded"})
  void fullSequenceLogits_matchTheNumpyReference(String name) throws Exception {
    boolean sharded = name.endsWith("-sharded");
    Path model = write(name, config(name.replace("-sharded", "")), sharded);
    List<int[]> sequences = List.of(new int[] {9, 17, 33, 41, 12, 60, 8, 25, 30, 11, 57}, new int[] {40, 3, 21, 63});
    double[][][] expected = NumpyReference.logits(model, sequences);
    try (LanguageModel lm = HfModels.load(model, "cpu", null, false, 0)) {
      float[][][] actual = lm.forward(sequences);
      for (int s = 0; s < sequences.size(); s++) {
        assertClose(expected[s], actual[s], name + " sequence " + s);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"llama", "qwen2", "qwen3"})
  void cachedGreedyGeneration_matchesTheReferenceTokenByToken(String arch) throws Exception {
    Path model = write(arch + "-gen", config(arch), false);
    List<String> words = IntStream.range(0, 40).mapToObj(i -> "w" + i).toList();
    try (LanguageModel lm = HfModels.load(model, "cpu", null, false, 0);
        LmTokenizer tokenizer = LmTokenizer.wordLevel(words)) {
      List<int[]> prompts = List.of(new int[] {9, 17, 33, 41, 12}, new int[] {40, 30, 21});
      List<GenerationProbe.Output> outs = GenerationProbe.greedy(lm, tokenizer, prompts, 8);
      int[] excluded = GenerationProbe.excluded(tokenizer);
      List<int[]> full = new ArrayList<>();
      for (int b = 0; b < prompts.size(); b++) {
        int[] p = prompts.get(b);
        int[] all = Arrays.copyOf(p, p.length + outs.get(b).ids().length);
        System.arraycopy(outs.get(b).ids(), 0, all, p.length, outs.get(b).ids().length);
        full.add(all);
      }
      double[][][] ref = NumpyReference.logits(model, full);
      int checked = 0;
      for (int b = 0; b < prompts.size(); b++) {
        int[] out = outs.get(b).ids();
        for (int j = 0; j < out.length; j++) {
          double[] row = ref[b][prompts.get(b).length - 1 + j].clone();
          for (int id : excluded) {
            row[id] = Double.NEGATIVE_INFINITY;
          }
          int best = 0;
          for (int i = 1; i < row.length; i++) {
            best = row[i] > row[best] ? i : best;
          }
          double max = row[best];
          double sum = 0;
          for (double x : row) {
            sum += Math.exp(x - max);
          }
          double logProb = row[out[j]] - max - Math.log(sum);
          assertEquals(best, out[j], arch + " sequence " + b + " token " + j + ": the reference's argmax");
          assertEquals(logProb, outs.get(b).logProbs()[j], TOLERANCE, arch + " sequence " + b + " log-prob " + j);
          checked++;
        }
      }
      assertTrue(checked >= 4, "at least a few generated tokens were checked, was " + checked);
    }
  }

  static Path write(String name, ObjectNode config, boolean sharded) {
    return TinyHfModels.write(dir.resolve(name), config, sharded);
  }

  static void assertClose(double[][] expected, float[][] actual, String what) {
    assertEquals(expected.length, actual.length, what + ": positions");
    double worst = 0;
    for (int t = 0; t < expected.length; t++) {
      assertEquals(expected[t].length, actual[t].length, what + ": vocabulary");
      for (int v = 0; v < expected[t].length; v++) {
        double err = Math.abs(expected[t][v] - actual[t][v]) / Math.max(1, Math.abs(expected[t][v]));
        worst = Math.max(worst, err);
      }
    }
    assertTrue(worst <= TOLERANCE, what + ": worst relative logit error " + worst + " > " + TOLERANCE);
  }
}
