package dev.ludus.runner.scoring;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import dev.ludus.agents.djl.LanguageModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A value-head model's value at the last token of each of many token sequences, in few forward passes that compute
 * every shared prefix once: the sequences' common opening in a pass of its own (its keys and values serve every row,
 * {@link PackedInputs}), the rest packed into prefix trees cut to fit rows and grouped into passes of similar width
 * ({@link PackingPlan}). Each value equals the sequence's
 * value scored alone (causal attention: a token sees its ancestors only, at its own position), so the turn-level
 * scores of an episode, each turn's conversation so far a prefix of the next, come from one pass over the episode.
 * Runs under the model's read lock without autograd. Stateless; thread-safe.
 */
public final class PackedValues {
  private PackedValues() {}

  /**
   * The value at the last token of each sequence (each non-empty and at most the model's context long).
   *
   * @param maxRowTokens the longest row cap the plan tries ({@link PackingPlan}; a sequence longer than the cap
   *     gets a row of its own): the rows' attention grows with the square of their length
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
    // the opening every sequence shares (short of each one's last token) gets a pass of its own when that is cheaper
    // than repeating it in every row (the plans' cost model); its keys and values then serve every pass
    int width = model.spec().width();
    int shared = n > 1 ? SpanScorer.sharedPrefix(sequences, lengths) : 0;
    int prefix = 0;
    PackingPlan plan = PackingPlan.of(sequences, 0, width, maxRowTokens);
    if (shared >= SpanScorer.MIN_SHARED_PREFIX) {
      List<int[]> rest = new ArrayList<>(n);
      for (int[] seq : sequences) {
        rest.add(Arrays.copyOfRange(seq, shared, seq.length));
      }
      PackingPlan after = PackingPlan.of(rest, shared, width, maxRowTokens);
      double openingPass = PackingPlan.cost(1, shared, 0, PackingPlan.LINEAR_PER_WIDTH * width,
          PackingPlan.PASS_COST * 64.0 / width);
      if (after.cost() + openingPass < plan.cost()) {
        plan = after;
        prefix = shared;
      }
    }
    int[] opening = Arrays.copyOf(sequences.get(0), prefix);
    PackingPlan chosen = plan;
    return model.inference(m -> {
      ParameterStore ps = new ParameterStore(m, false);
      NDList kv = opening.length == 0 ? null : PackedInputs.opening(model, m, ps, opening);
      float[] out = new float[n];
      for (int k = 0; k < chosen.passes().size(); k++) {
        PrefixPacking rows = chosen.passes().get(k);
        int[] members = chosen.members().get(k);
        long[] last = new long[members.length];
        for (int i = 0; i < members.length; i++) {
          int[] cells = rows.cells()[i];
          last[i] = cells[cells.length - 1];
        }
        NDList inputs = PackedInputs.rows(m, opening.length, kv, rows);
        float[] v = model.values(ps, inputs).reshape(-1).gather(m.create(last), 0).toFloatArray();
        for (int i = 0; i < members.length; i++) {
          out[members[i]] = v[i];
        }
      }
      return out;
    });
  }
}
