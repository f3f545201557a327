package dev.ludus.runner.scoring;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import dev.ludus.agents.djl.LanguageModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A value-head model's value at the last token of each of many token sequences, in one forward pass that computes
 * every shared prefix once: the sequences' common opening in a pass of its own (its keys and values serve every row,
 * {@link PackedInputs}), the rest packed into prefix trees ({@link PrefixPacking}). Each value equals the sequence's
 * value scored alone (causal attention: a token sees its ancestors only, at its own position), so the turn-level
 * scores of an episode, each turn's conversation so far a prefix of the next, come from one pass over the episode.
 * Runs under the model's read lock without autograd. Stateless; thread-safe.
 */
public final class PackedValues {
  private PackedValues() {}

  /**
   * The value at the last token of each sequence (each non-empty and at most the model's context long).
   *
   * @param maxRowTokens a packed row takes sequences until one more would need more nodes than this (a sequence
   *     longer than it gets a row of its own): the rows' attention grows with the square of their length
   * @throws IllegalArgumentException if a sequence is empty or longer than the context
   */
  public static float[] lastValues(LanguageModel model, List<int[]> sequences, int maxRowTokens) {
    int n = sequences.size();
    if (n == 0) {
      return new float[0];
    }
    int context = model.spec().context();
    int[] lengths = new int[n];
    for (int i = 0; i < n; i++) {
      lengths[i] = sequences.get(i).length;
      if (lengths[i] == 0 || lengths[i] > context) {
        throw new IllegalArgumentException("sequence " + i + " has " + lengths[i] + " tokens; it needs 1 to the "
            + "context's " + context);
      }
    }
    // the opening every sequence shares (short of each one's last token) gets a pass of its own when the rest
    // would need more than one row; in one row the tree shares it already
    int shared = n > 1 ? SpanScorer.sharedPrefix(sequences, lengths) : 0;
    int prefix = 0;
    List<int[]> rest = sequences;
    PrefixPacking packed = PrefixPacking.pack(sequences, maxRowTokens);
    if (packed.rows() > 1 && shared >= SpanScorer.MIN_SHARED_PREFIX) {
      prefix = shared;
      rest = new ArrayList<>(n);
      for (int[] seq : sequences) {
        rest.add(Arrays.copyOfRange(seq, prefix, seq.length));
      }
      packed = PrefixPacking.pack(rest, maxRowTokens);
    }
    long[] last = new long[n];
    for (int i = 0; i < n; i++) {
      int[] cells = packed.cells()[i];
      last[i] = cells[cells.length - 1];
    }
    int[] opening = Arrays.copyOf(sequences.get(0), prefix);
    PrefixPacking rows = packed;
    return model.inference(m -> {
      ParameterStore ps = new ParameterStore(m, false);
      NDList inputs = PackedInputs.of(model, m, ps, opening, rows);
      NDArray values = model.values(ps, inputs).reshape(-1);
      return values.gather(m.create(last), 0).toFloatArray();
    });
  }
}
