package dev.ludus.runner.learn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;

/**
 * One micro-batch laid out for a teacher-forced forward pass: each row is a {@link PackedSample}'s ids (one turn's
 * prompt followed by its output in the per-turn layout; a conversation with several agent turns in the packed
 * layout), right-padded to the longest row (causal attention keeps padding out of every real position, and
 * positions count real tokens only). The per-token arrays have {@code width − 1} columns, column {@code c} standing
 * for the prediction of token {@code c + 1} from tokens {@code 0..c}; so output token {@code j} of a turn whose
 * prompt has {@code P} tokens is column {@code P − 1 + j} of its row.
 *
 * <p>{@link #mask} is 1 at the columns of the turns' output tokens and 0 elsewhere (prompts, the environment's and
 * user's and tools' tokens between turns, turns not trained on, padding). {@link #weights} is the mask and the
 * aggregation in one: zero wherever the mask is, and at output columns {@code 1/(all output tokens of the whole
 * batch)} (token mean) or {@code 1/(this turn's output tokens · all turns of the whole batch)} (sequence mean: a
 * turn weighs the same whether it has a row of its own or shares one), so the weighted sums of all micro-batches
 * add up to the batch's loss. The other per-token arrays hold values at output columns and zeros elsewhere;
 * whatever they hold elsewhere is multiplied by the mask before any exponential and by a zero weight in the loss.
 *
 * <p>{@link #temperatures} holds each column's sampling temperature (that of the turn whose token it predicts; 1
 * at masked columns): the learner divides the logits of each column by it, so turns drawn at different
 * temperatures may share a row.
 *
 * <p>Value targets, when some turns have them, are per turn: the column of the row's ids where the turn's prompt
 * ends ({@link #valueCells}, the state in which the turn was written), the target, the value at estimation and the
 * turn's weight in the value loss.
 *
 * <p>Mutable arrays, package-private: built and consumed by one {@link PolicyLearner} call (tests poke the
 * masked columns to show that they do not matter).
 */
final class TokenBatch {
  final int rows;
  final int width;
  final int[] lengths;
  final long[] ids;
  final float[] attention;
  final float[] weights;
  final float[] mask;
  final float[] behaviour;
  final float[] advantages;
  final float[] reference;
  final float[] temperatures;
  final int turns;
  final long outputTokens;
  long[] valueCells;
  float[] valueTargets;
  float[] oldValues;
  float[] valueWeights;
  private long[] trained;

  private TokenBatch(int rows, int width, boolean withReference, int turns, long outputTokens) {
    this.rows = rows;
    this.width = width;
    this.turns = turns;
    this.outputTokens = outputTokens;
    lengths = new int[rows];
    ids = new long[rows * width];
    attention = new float[rows * width];
    int cells = rows * (width - 1);
    weights = new float[cells];
    mask = new float[cells];
    behaviour = new float[cells];
    advantages = new float[cells];
    reference = withReference ? new float[cells] : null;
    temperatures = new float[cells];
    Arrays.fill(temperatures, 1f);
  }

  /**
   * Lays out {@code rows}. {@code reference} holds, per row, the reference policy's log-probability at each column
   * of that row ({@code length − 1} entries, read at output columns only), or is null for no reference. The counts
   * are of the whole batch this micro-batch belongs to: its output tokens and turns, and the output tokens and
   * turns of the turns that carry value targets.
   */
  static TokenBatch of(List<PackedSample> rows, float[][] reference, LearnerConfig.LossAggregation aggregation,
      long batchTokens, int batchTurns, long valueTokens, int valueTurns, int padId) {
    int width = 0;
    int turns = 0;
    long outputs = 0;
    int values = 0;
    for (PackedSample row : rows) {
      width = Math.max(width, row.length());
      turns += row.turns().size();
      outputs += row.outputTokens();
      values += row.valueTurns();
    }
    TokenBatch b = new TokenBatch(rows.size(), width, reference != null, turns, outputs);
    Arrays.fill(b.ids, padId);
    if (values > 0) {
      b.valueCells = new long[values];
      b.valueTargets = new float[values];
      b.oldValues = new float[values];
      b.valueWeights = new float[values];
    }
    int cols = width - 1;
    int v = 0;
    for (int r = 0; r < rows.size(); r++) {
      PackedSample row = rows.get(r);
      int[] ids = row.ids();
      b.lengths[r] = ids.length;
      for (int j = 0; j < ids.length; j++) {
        b.ids[r * width + j] = ids[j];
      }
      Arrays.fill(b.attention, r * width, r * width + ids.length, 1f);
      for (Sample turn : row.turns()) {
        int start = turn.promptLength();
        int length = turn.outputLength();
        float weight = switch (aggregation) {
          case TOKEN_MEAN -> (float) (1.0 / batchTokens);
          case SEQUENCE_MEAN -> (float) (1.0 / ((double) length * batchTurns));
        };
        float[] behaviour = turn.behaviourLogProbs();
        float[] advantages = turn.advantages();
        float temperature = (float) turn.temperature();
        for (int j = 0; j < length; j++) {
          int col = start - 1 + j;
          int cell = r * cols + col;
          b.weights[cell] = weight;
          b.mask[cell] = 1f;
          b.behaviour[cell] = behaviour[j];
          b.advantages[cell] = advantages[j];
          b.temperatures[cell] = temperature;
          if (reference != null) {
            b.reference[cell] = reference[r][col];
          }
        }
        if (turn.hasValueTarget()) {
          Sample.ValueTarget t = turn.valueTarget();
          b.valueCells[v] = (long) r * width + start - 1;
          b.valueTargets[v] = (float) t.target();
          b.oldValues[v] = (float) t.oldValue();
          b.valueWeights[v] = switch (aggregation) {
            case TOKEN_MEAN -> (float) ((double) length / valueTokens);
            case SEQUENCE_MEAN -> (float) (1.0 / valueTurns);
          };
          v++;
        }
      }
    }
    return b;
  }

  boolean hasValueTargets() {
    return valueCells != null;
  }

  /** (turns with value targets): the value head's output (rows, width) at each such turn's last prompt token. */
  NDArray selectValues(NDManager m, NDArray values) {
    return values.reshape(-1).gather(m.create(valueCells), 0);
  }

  /** Whether column {@code col} of row {@code row} is an output token's prediction. */
  boolean isOutput(int row, int col) {
    return mask[row * (width - 1) + col] != 0f;
  }

  /** The cells of the forward pass: rows × width. */
  long paddedCells() {
    return (long) rows * width;
  }

  NDArray ids(NDManager m) {
    return m.create(ids, new Shape(rows, width));
  }

  NDArray attention(NDManager m) {
    return m.create(attention, new Shape(rows, width));
  }

  /** Whether every column is at temperature 1 (the logits need no division). */
  boolean atTemperatureOne() {
    for (float t : temperatures) {
      if (t != 1f) {
        return false;
      }
    }
    return true;
  }

  /** (rows, width − 1, 1): each column's temperature, to divide the logits (rows, width − 1, vocab) by. */
  NDArray temperatureCells(NDManager m) {
    return m.create(temperatures, new Shape(rows, width - 1, 1));
  }

  /**
   * The trained cells: the indices into the per-token arrays (row-major, {@code rows × (width − 1)}) of the columns
   * whose mask is not 0, ascending; a batch without any is given column 0 of row 0 (mask 0, weight 0) so that the
   * arrays are never empty. Every loss term reads the per-token arrays only through the mask or the weights, so these
   * are all the columns whose log-probabilities a loss needs.
   */
  long[] trainedCells() {
    if (trained == null) {
      int n = 0;
      for (float x : mask) {
        n += x != 0f ? 1 : 0;
      }
      long[] out = new long[Math.max(n, 1)];
      int k = 0;
      for (int c = 0; c < mask.length; c++) {
        if (mask[c] != 0f) {
          out[k++] = c;
        }
      }
      trained = out;
    }
    return trained;
  }

  /** (N): the flat position in the (rows, width) ids of each trained cell: the position that predicts its token. */
  NDArray trainedPositions(NDManager m) {
    long[] cells = trainedCells();
    long[] out = new long[cells.length];
    for (int i = 0; i < cells.length; i++) {
      out[i] = cells[i] / (width - 1) * width + cells[i] % (width - 1);
    }
    return m.create(out);
  }

  /** (1, N, 1): the token each trained cell predicts. */
  NDArray trainedTargets(NDManager m) {
    long[] cells = trainedCells();
    long[] out = new long[cells.length];
    for (int i = 0; i < cells.length; i++) {
      out[i] = ids[(int) (cells[i] / (width - 1) * width + cells[i] % (width - 1)) + 1];
    }
    return m.create(out, new Shape(1, cells.length, 1));
  }

  /** A per-token array at the trained cells only, as (1, N), in the order of {@link #trainedCells}. */
  NDArray trained(NDManager m, float[] values) {
    long[] cells = trainedCells();
    float[] out = new float[cells.length];
    for (int i = 0; i < cells.length; i++) {
      out[i] = values[(int) cells[i]];
    }
    return m.create(out, new Shape(1, cells.length));
  }

  /** A per-token array as (rows, width − 1). */
  NDArray cells(NDManager m, float[] values) {
    return m.create(values, new Shape(rows, width - 1));
  }
}
