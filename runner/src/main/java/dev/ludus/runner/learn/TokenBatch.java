package dev.ludus.runner.learn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;

/**
 * One micro-batch laid out for a teacher-forced forward pass: each row is a prompt followed by its output,
 * right-padded to the longest row (causal attention keeps padding out of every real position, and positions
 * count real tokens only). The per-token arrays have {@code width − 1} columns, column {@code c} standing for
 * the prediction of token {@code c + 1} from tokens {@code 0..c}; so output token {@code j} of a row with
 * prompt length {@code P} is column {@code P − 1 + j}.
 *
 * <p>{@link #mask} is 1 at output columns and 0 elsewhere. {@link #weights} is the mask and the aggregation
 * in one: zero at every prompt and padding column, and at output columns {@code 1/(all output tokens of the
 * whole batch)} (token mean) or {@code 1/(this row's output tokens · all rows of the whole batch)} (sequence
 * mean), so the weighted sums of all micro-batches add up to the batch's loss. The other per-token arrays
 * hold values at output columns and zeros elsewhere; whatever they hold elsewhere is multiplied by the mask
 * before any exponential and by a zero weight in the loss.
 *
 * <p>{@link #temperatures} holds each row's sampling temperature: the learner divides the row's logits by it.
 *
 * <p>Value targets, when some rows have them ({@link #withValueTargets}), are per row: the target, the value
 * at estimation and the row's weight in the value loss (0 for a row without a target), the value read at the
 * prompt's last column ({@link #valueSelector}).
 *
 * <p>Mutable arrays, package-private: built and consumed by one {@link PolicyLearner} call (tests poke the
 * masked columns to show that they do not matter).
 */
final class TokenBatch {
  final int rows;
  final int width;
  final int[] promptLengths;
  final int[] outputLengths;
  final long[] ids;
  final float[] attention;
  final float[] weights;
  final float[] mask;
  final float[] behaviour;
  final float[] advantages;
  final float[] reference;
  final float[] temperatures;
  float[] valueTargets;
  float[] oldValues;
  float[] valueWeights;

  private TokenBatch(int rows, int width, boolean withReference) {
    this.rows = rows;
    this.width = width;
    promptLengths = new int[rows];
    outputLengths = new int[rows];
    ids = new long[rows * width];
    attention = new float[rows * width];
    int cells = rows * (width - 1);
    weights = new float[cells];
    mask = new float[cells];
    behaviour = new float[cells];
    advantages = new float[cells];
    reference = withReference ? new float[cells] : null;
    temperatures = new float[rows];
    Arrays.fill(temperatures, 1f);
  }

  /**
   * Lays out {@code prompts[i] ++ outputs[i]}. {@code behaviour}, {@code advantages} and {@code reference} are
   * per output token (null for all zeros, or no reference); {@code batchTokens} and {@code batchRows} count the
   * whole batch this micro-batch belongs to.
   */
  static TokenBatch of(List<int[]> prompts, List<int[]> outputs, List<float[]> behaviour, List<float[]> advantages,
      float[][] reference, LearnerConfig.LossAggregation aggregation, long batchTokens, int batchRows, int padId) {
    int rows = prompts.size();
    int width = 0;
    for (int i = 0; i < rows; i++) {
      width = Math.max(width, prompts.get(i).length + outputs.get(i).length);
    }
    TokenBatch b = new TokenBatch(rows, width, reference != null);
    Arrays.fill(b.ids, padId);
    int cols = width - 1;
    for (int r = 0; r < rows; r++) {
      int[] prompt = prompts.get(r);
      int[] output = outputs.get(r);
      b.promptLengths[r] = prompt.length;
      b.outputLengths[r] = output.length;
      for (int j = 0; j < prompt.length; j++) {
        b.ids[r * width + j] = prompt[j];
      }
      for (int j = 0; j < output.length; j++) {
        b.ids[r * width + prompt.length + j] = output[j];
      }
      Arrays.fill(b.attention, r * width, r * width + prompt.length + output.length, 1f);
      float weight = switch (aggregation) {
        case TOKEN_MEAN -> (float) (1.0 / batchTokens);
        case SEQUENCE_MEAN -> (float) (1.0 / ((double) output.length * batchRows));
      };
      for (int j = 0; j < output.length; j++) {
        int cell = r * cols + prompt.length - 1 + j;
        b.weights[cell] = weight;
        b.mask[cell] = 1f;
        if (behaviour != null) {
          b.behaviour[cell] = behaviour.get(r)[j];
        }
        if (advantages != null) {
          b.advantages[cell] = advantages.get(r)[j];
        }
        if (reference != null) {
          b.reference[cell] = reference[r][j];
        }
      }
    }
    return b;
  }

  /**
   * Adds the rows' value targets ({@code targets.get(r)} null for a row without one). {@code valueTokens} and
   * {@code valueRows} count the output tokens and the rows that have targets in the whole batch, so that the
   * value weights of all micro-batches add up to 1.
   */
  TokenBatch withValueTargets(List<Sample.ValueTarget> targets, LearnerConfig.LossAggregation aggregation,
      long valueTokens, int valueRows) {
    valueTargets = new float[rows];
    oldValues = new float[rows];
    valueWeights = new float[rows];
    for (int r = 0; r < rows; r++) {
      Sample.ValueTarget t = targets.get(r);
      if (t != null) {
        valueTargets[r] = (float) t.target();
        oldValues[r] = (float) t.oldValue();
        valueWeights[r] = switch (aggregation) {
          case TOKEN_MEAN -> (float) ((double) outputLengths[r] / valueTokens);
          case SEQUENCE_MEAN -> (float) (1.0 / valueRows);
        };
      }
    }
    return this;
  }

  boolean hasValueTargets() {
    return valueTargets != null;
  }

  /** (rows, width): 1 at each row's last prompt token, whose value is the value of the turn's state. */
  NDArray valueSelector(NDManager m) {
    float[] select = new float[rows * width];
    for (int r = 0; r < rows; r++) {
      select[r * width + promptLengths[r] - 1] = 1f;
    }
    return m.create(select, new Shape(rows, width));
  }

  /** Whether column {@code col} of row {@code row} is an output token's prediction. */
  boolean isOutput(int row, int col) {
    return col >= promptLengths[row] - 1 && col < promptLengths[row] - 1 + outputLengths[row];
  }

  long outputTokens() {
    long n = 0;
    for (int o : outputLengths) {
      n += o;
    }
    return n;
  }

  NDArray ids(NDManager m) {
    return m.create(ids, new Shape(rows, width));
  }

  NDArray attention(NDManager m) {
    return m.create(attention, new Shape(rows, width));
  }

  /** This batch with the rows' sampling temperatures (one per row). */
  TokenBatch withTemperatures(double[] rowTemperatures) {
    for (int r = 0; r < rows; r++) {
      temperatures[r] = (float) rowTemperatures[r];
    }
    return this;
  }

  /** Whether every row is at temperature 1 (the logits need no division). */
  boolean atTemperatureOne() {
    for (float t : temperatures) {
      if (t != 1f) {
        return false;
      }
    }
    return true;
  }

  /** (rows, 1, 1): each row's temperature, to divide logits (rows, width, vocab) by. */
  NDArray temperatureColumn(NDManager m) {
    return m.create(temperatures, new Shape(rows, 1, 1));
  }

  /** A per-token array as (rows, width − 1). */
  NDArray cells(NDManager m, float[] values) {
    return m.create(values, new Shape(rows, width - 1));
  }
}
