package dev.ludus.runner.learn;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import dev.ludus.agents.djl.TrainablePolicy;
import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.TokenTrace;
import dev.ludus.api.Turn;
import dev.ludus.runner.learn.advantage.AdvantageBatch;
import dev.ludus.runner.learn.advantage.TurnValues;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The critic's values of the turn boundaries of some episodes, computed once with the policy's value head and
 * kept: {@code V[t]} is the value of the state in which the agent wrote turn {@code t}, the value head at the
 * last token of the turn's recorded prompt ({@link TrainablePolicy#stateValues}). They go to the estimator
 * through {@link AdvantageBatch#withValues} and, turn by turn, into each sample as the old value that centres
 * the value clip ({@link Sample#withValueTarget}).
 *
 * <p>One value per turn: the value after the last turn is 0 (verl's convention), so an episode cut by a limit
 * is not bootstrapped. A turn without a token trace (a backend that reports no ids) has no state the model can
 * read; it gets 0 and gives no sample. Failed episodes are skipped (the estimators drop them); asking for one,
 * or for an episode that was not given, returns null.
 *
 * <p>Immutable and thread-safe (arrays are copied out).
 */
public final class StateValues implements TurnValues {
  private final Map<String, double[]> byEpisode;

  private StateValues(Map<String, double[]> byEpisode) {
    this.byEpisode = byEpisode;
  }

  /**
   * The values of every turn of {@code episodes} under {@code model}'s current weights, in forward passes of
   * at most {@code batchSize} prompts (each under the model's read lock, so rollouts may run meanwhile).
   *
   * @throws IllegalArgumentException if two episodes share an id
   * @throws IllegalStateException if the model has no value head
   */
  public static StateValues compute(TrainablePolicy model, List<Episode> episodes, int batchSize) {
    return compute(model, episodes, batchSize, false);
  }

  /**
   * {@link #compute(TrainablePolicy, List, int)}, or, {@code packed}, with each episode read once instead of once
   * per turn: the turns whose prompts continue the previous turn's prompt and output ({@link PackedSample}'s
   * prefix property) share a row, the last of their prompts, and each turn's value is read at its prompt's last
   * token in that row, which a causal model gives the same value as the prompt alone (up to float rounding); a
   * turn whose prompt does not continue the previous one starts a new row. Rows go {@code batchSize} at a time
   * through {@link TrainablePolicy#logitsAndValues}, which takes no lock: call the packed form only from the
   * thread of the model's one learner, between its updates (as a trainer does); rollouts may run meanwhile.
   */
  public static StateValues compute(TrainablePolicy model, List<Episode> episodes, int batchSize, boolean packed) {
    Objects.requireNonNull(model, "model");
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
    }
    if (!model.hasValueHead()) {
      throw new IllegalStateException("the model has no value head to compute state values with");
    }
    Map<String, double[]> values = new HashMap<>();
    List<int[]> prompts = new ArrayList<>();
    List<double[]> into = new ArrayList<>();
    List<int[]> at = new ArrayList<>(); // per row: the turn indices, then the positions read
    for (Episode e : episodes) {
      if (e.status() == EpisodeStatus.FAILED) {
        continue;
      }
      double[] v = new double[e.turns().size()];
      if (values.put(e.id(), v) != null) {
        throw new IllegalArgumentException("two episodes share the id '" + e.id() + "'");
      }
      int[] end = null; // the ids the current row ends with: the last prompt and its output
      List<Integer> turns = new ArrayList<>();
      for (int t = 0; t < v.length; t++) {
        TokenTrace trace = e.turns().get(t).tokens();
        if (trace == null || trace.promptIds().length == 0) {
          continue;
        }
        int[] prompt = trace.promptIds();
        if (!packed || end == null || !startsWith(prompt, end)) {
          if (!turns.isEmpty()) {
            addRow(prompts, into, at, v, turns, e.turns());
          }
          turns = new ArrayList<>();
        }
        turns.add(t);
        end = PackedSample.concat(prompt, trace.outputIds());
      }
      if (!turns.isEmpty()) {
        addRow(prompts, into, at, v, turns, e.turns());
      }
    }
    for (int start = 0; start < prompts.size(); start += batchSize) {
      int end = Math.min(prompts.size(), start + batchSize);
      List<int[]> rows = prompts.subList(start, end);
      if (!packed) {
        float[] out = model.stateValues(rows);
        for (int i = start; i < end; i++) {
          into.get(i)[at.get(i)[0]] = out[i - start];
        }
        continue;
      }
      float[][] out = valuesAtEveryPosition(model, rows);
      for (int i = start; i < end; i++) {
        int[] turnsAndPositions = at.get(i);
        int n = turnsAndPositions.length / 2;
        for (int k = 0; k < n; k++) {
          into.get(i)[turnsAndPositions[k]] = out[i - start][turnsAndPositions[n + k]];
        }
      }
    }
    return new StateValues(values);
  }

  /** A row of the turns {@code turns}: the last one's prompt, read at the end of each turn's prompt. */
  private static void addRow(List<int[]> prompts, List<double[]> into, List<int[]> at, double[] v, List<Integer> turns,
      List<Turn> all) {
    int n = turns.size();
    int[] turnsAndPositions = new int[2 * n];
    for (int k = 0; k < n; k++) {
      turnsAndPositions[k] = turns.get(k);
      turnsAndPositions[n + k] = all.get(turns.get(k)).tokens().promptIds().length - 1;
    }
    prompts.add(all.get(turns.get(n - 1)).tokens().promptIds());
    into.add(v);
    at.add(turnsAndPositions);
  }

  private static boolean startsWith(int[] ids, int[] prefix) {
    return ids.length >= prefix.length && Arrays.equals(ids, 0, prefix.length, prefix, 0, prefix.length);
  }

  /** The value head's output at every position of each row, in one forward pass without autograd. */
  private static float[][] valuesAtEveryPosition(TrainablePolicy model, List<int[]> rows) {
    int width = rows.stream().mapToInt(r -> r.length).max().orElseThrow();
    long[] ids = new long[rows.size() * width];
    float[] attention = new float[rows.size() * width];
    for (int r = 0; r < rows.size(); r++) {
      int[] row = rows.get(r);
      for (int j = 0; j < row.length; j++) {
        ids[r * width + j] = row[j];
        attention[r * width + j] = 1f;
      }
    }
    boolean grad = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try (NDManager m = model.manager().newSubManager()) {
      Shape shape = new Shape(rows.size(), width);
      float[] flat = model.logitsAndValues(new ParameterStore(m, false), m.create(ids, shape),
          m.create(attention, shape), false).values().toFloatArray();
      float[][] out = new float[rows.size()][];
      for (int r = 0; r < out.length; r++) {
        out[r] = Arrays.copyOfRange(flat, r * width, r * width + rows.get(r).length);
      }
      return out;
    } finally {
      JniUtils.setGradMode(grad);
    }
  }

  /** The values of {@code episode}'s turns (one per turn), or null if it was not computed. */
  @Override
  public double[] of(Episode episode) {
    double[] v = byEpisode.get(episode.id());
    return v == null ? null : v.clone();
  }

  /** The value of the state in which turn {@code turn} of {@code episode} was written. */
  public double value(Episode episode, int turn) {
    double[] v = byEpisode.get(episode.id());
    if (v == null) {
      throw new IllegalArgumentException("no values were computed for episode '" + episode.id() + "'");
    }
    return v[turn];
  }

  /** The number of episodes with values. */
  public int episodes() {
    return byEpisode.size();
  }
}
