package dev.ludus.agents.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A model's answers for plain token-id sequences, each batch left-padded into one forward pass under the read lock
 * (so of one policy version), without autograd, on a scratch manager closed afterwards: the logits of every
 * position, the log-probabilities of outputs after prompts, the values of states. Also the two array helpers the
 * scoring shares with a learner's view: teacher forcing and excluding ids. Stateless; thread-safe.
 */
final class BatchScoring {
  static final int[] NO_EXCLUSIONS = new int[0];

  private BatchScoring() {}

  /** The logits of each sequence: {@code [sequence][position][token]}. */
  static float[][][] forward(LanguageModel model, List<int[]> sequences) {
    return model.inference(manager -> {
      Padded p = Padded.left(sequences, 0);
      float[] flat = model.logits(new ParameterStore(manager, false), p.ids(manager), p.mask(manager), false)
          .toFloatArray();
      int vocab = model.spec().vocabSize();
      float[][][] out = new float[sequences.size()][][];
      for (int b = 0; b < out.length; b++) {
        int len = sequences.get(b).length;
        out[b] = new float[len][vocab];
        for (int j = 0; j < len; j++) {
          System.arraycopy(flat, ((b * p.width()) + p.pad(b) + j) * vocab, out[b][j], 0, vocab);
        }
      }
      return out;
    });
  }

  /**
   * The log-probability of each output token after its prompt in {@code softmax((logits + exclusion) /
   * temperatures[i])}, the ids {@code excluded} pushed to {@link LanguageModel#MASKED} first.
   *
   * @throws IllegalArgumentException if the lists differ in size, a prompt is empty or a temperature is not in
   *     (0, 100]
   */
  static float[][] logProbs(LanguageModel model, List<int[]> prompts, List<int[]> outputs, double[] temperatures,
      int[] excluded) {
    if (prompts.size() != outputs.size() || prompts.size() != temperatures.length) {
      throw new IllegalArgumentException(prompts.size() + " prompts, " + outputs.size() + " outputs and "
          + temperatures.length + " temperatures; they must be as many");
    }
    List<int[]> joined = new ArrayList<>(prompts.size());
    float[] temps = new float[prompts.size()];
    for (int i = 0; i < prompts.size(); i++) {
      if (prompts.get(i).length == 0) {
        throw new IllegalArgumentException("prompt " + i + " is empty; the first output token needs context");
      }
      if (!(temperatures[i] > 0 && temperatures[i] <= 100)) {
        throw new IllegalArgumentException("temperature " + i + " must be in (0, 100], was " + temperatures[i]);
      }
      temps[i] = (float) temperatures[i];
      int[] all = Arrays.copyOf(prompts.get(i), prompts.get(i).length + outputs.get(i).length);
      System.arraycopy(outputs.get(i), 0, all, prompts.get(i).length, outputs.get(i).length);
      joined.add(all);
    }
    return model.inference(manager -> {
      Padded p = Padded.left(joined, 0);
      ParameterStore ps = new ParameterStore(manager, false);
      NDArray ids = p.ids(manager);
      NDArray logits = model.logits(ps, ids, p.mask(manager), false);
      if (excluded.length > 0) {
        logits = logits.add(exclusion(manager, model.spec().vocabSize(), excluded));
      }
      logits = logits.div(manager.create(temps, new Shape(temps.length, 1, 1)));
      float[] flat = teacherForced(logits, ids).toFloatArray();
      int cols = p.width() - 1;
      float[][] out = new float[joined.size()][];
      for (int b = 0; b < out.length; b++) {
        int start = p.pad(b) + prompts.get(b).length;
        out[b] = new float[outputs.get(b).length];
        for (int j = 0; j < out[b].length; j++) {
          out[b][j] = flat[b * cols + start + j - 1];
        }
      }
      return out;
    });
  }

  /**
   * The value of the state at the end of each prompt (the value head's output at its last token), without the
   * vocabulary head.
   *
   * @throws IllegalStateException if the model has no value head
   * @throws IllegalArgumentException if a prompt is empty
   */
  static float[] stateValues(LanguageModel model, List<int[]> prompts) {
    if (!model.spec().valueHead()) {
      throw CausalLmBlock.noValueHead();
    }
    for (int i = 0; i < prompts.size(); i++) {
      if (prompts.get(i).length == 0) {
        throw new IllegalArgumentException("prompt " + i + " is empty; a state needs at least one token");
      }
    }
    return model.inference(manager -> {
      Padded p = Padded.left(prompts, 0);
      NDArray all = model.values(new ParameterStore(manager, false), p.ids(manager), p.mask(manager), false);
      // left-padded: every prompt ends in the last column
      return all.get(new NDIndex(":, -1")).toFloatArray();
    });
  }

  /** (V): {@link LanguageModel#MASKED} at each excluded id, 0 elsewhere; added to logits (B, T, V), it excludes them. */
  static NDArray exclusion(NDManager m, int vocab, int[] excluded) {
    float[] row = new float[vocab];
    for (int id : excluded) {
      row[id] = LanguageModel.MASKED;
    }
    return m.create(row);
  }

  /** The log-probabilities (B, T-1) of each next token of {@code tokenIds} under {@code logits} (B, T, V). */
  static NDArray teacherForced(NDArray logits, NDArray tokenIds) {
    long t = tokenIds.getShape().get(1);
    NDArray logp = logits.get(new NDIndex(":, :{}, :", t - 1)).logSoftmax(-1);
    NDArray targets = tokenIds.get(new NDIndex(":, 1:")).toType(DataType.INT64, false).expandDims(2);
    return logp.gather(targets, 2).squeeze(2);
  }
}
