package dev.ludus.runner.learn.advantage;

import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.Turn;
import dev.ludus.shaping.ShapingPipeline;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An episode that did not fail, read once: its group, its turn rewards and the number of output tokens of each
 * turn. Package-private; the estimators' common input.
 */
record Scored(Episode episode, int group, double[] turnRewards, int[] tokenCounts) {

  /**
   * The batch's groups with failed episodes dropped; a group whose episodes all failed stays as an empty
   * list so that group indices still match the batch.
   */
  static List<List<Scored>> prepare(AdvantageBatch batch) {
    List<List<Scored>> groups = new ArrayList<>(batch.groups().size());
    for (int g = 0; g < batch.groups().size(); g++) {
      List<Scored> live = new ArrayList<>();
      for (Episode e : batch.groups().get(g)) {
        if (e.status() != EpisodeStatus.FAILED) {
          live.add(of(e, g));
        }
      }
      groups.add(live);
    }
    return groups;
  }

  static Scored of(Episode e, int group) {
    double[] r = ShapingPipeline.turnRewards(e);
    for (int t = 0; t < r.length; t++) {
      if (!Double.isFinite(r[t])) {
        throw new IllegalArgumentException("episode '" + e.id() + "' has a non-finite reward at turn " + t + ": " + r[t]);
      }
    }
    int[] n = new int[e.turns().size()];
    for (int t = 0; t < n.length; t++) {
      Turn turn = e.turns().get(t);
      n[t] = turn.tokens() == null ? 0 : turn.tokens().outputIds().length;
    }
    return new Scored(e, group, r, n);
  }

  int turns() {
    return turnRewards.length;
  }

  /** The outcome R: the undiscounted sum of the turn rewards. */
  double outcome() {
    double sum = 0;
    for (double r : turnRewards) {
      sum += r;
    }
    return sum;
  }

  int totalTokens() {
    int n = 0;
    for (int c : tokenCounts) {
      n += c;
    }
    return n;
  }

  /** One value per turn, repeated on each of the turn's tokens. */
  double[][] broadcast(double[] perTurn) {
    double[][] v = new double[perTurn.length][];
    for (int t = 0; t < perTurn.length; t++) {
      v[t] = new double[tokenCounts[t]];
      Arrays.fill(v[t], perTurn[t]);
    }
    return v;
  }

  /** One value for the whole episode, on every token. */
  double[][] broadcast(double value) {
    double[] perTurn = new double[turns()];
    Arrays.fill(perTurn, value);
    return broadcast(perTurn);
  }

  TokenAdvantages result(double[][] tokenValues, double[] valueTargets) {
    float[][] a = new float[tokenValues.length][];
    for (int t = 0; t < a.length; t++) {
      a[t] = new float[tokenValues[t].length];
      for (int k = 0; k < a[t].length; k++) {
        a[t][k] = (float) tokenValues[t][k];
      }
    }
    return new TokenAdvantages(episode, group, a, valueTargets);
  }
}
