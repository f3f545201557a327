package dev.ludus.runner.learn;

import dev.ludus.agents.djl.TrainablePolicy;
import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.TokenTrace;
import dev.ludus.api.Turn;
import dev.ludus.runner.learn.advantage.AdvantageBatch;
import dev.ludus.runner.learn.advantage.TurnValues;
import java.util.ArrayList;
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
    List<Integer> at = new ArrayList<>();
    for (Episode e : episodes) {
      if (e.status() == EpisodeStatus.FAILED) {
        continue;
      }
      double[] v = new double[e.turns().size()];
      if (values.put(e.id(), v) != null) {
        throw new IllegalArgumentException("two episodes share the id '" + e.id() + "'");
      }
      for (int t = 0; t < v.length; t++) {
        Turn turn = e.turns().get(t);
        TokenTrace trace = turn.tokens();
        if (trace != null && trace.promptIds().length > 0) {
          prompts.add(trace.promptIds());
          into.add(v);
          at.add(t);
        }
      }
    }
    for (int start = 0; start < prompts.size(); start += batchSize) {
      int end = Math.min(prompts.size(), start + batchSize);
      float[] out = model.stateValues(prompts.subList(start, end));
      for (int i = start; i < end; i++) {
        into.get(i)[at.get(i)] = out[i - start];
      }
    }
    return new StateValues(values);
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
