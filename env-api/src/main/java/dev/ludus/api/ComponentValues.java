package dev.ludus.api;

import java.util.List;
import java.util.Objects;

/**
 * One reward component's values over a group of episodes on the same task: {@code values[i][t]} is the
 * value for episode {@code i} of the group at turn {@code t}, {@link Double#NaN} where the component gave
 * nothing. What transforms and combiners work on. The arrays are not copied: treat them as read-only and
 * return new ones.
 *
 * @param source the shaper that produced the component (its registered name)
 * @param component the component's name within the shaper
 * @param weight the weight the run gives it (0: recorded as a metric, not rewarded)
 * @param episodes the group's episodes, in the order of {@code values}
 * @param values the values, one row per episode, one column per turn of that episode
 */
public record ComponentValues(String source, String component, double weight, List<Episode> episodes,
    double[][] values) {
  public ComponentValues {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(component, "component");
    episodes = List.copyOf(episodes);
    Objects.requireNonNull(values, "values");
    if (values.length != episodes.size()) {
      throw new IllegalArgumentException(
          "values has " + values.length + " rows for " + episodes.size() + " episodes");
    }
  }

  /** The same component with other values (same shape). */
  public ComponentValues with(double[][] newValues) {
    return new ComponentValues(source, component, weight, episodes, newValues);
  }

  /** {@code source/component}, or just {@code source} when they are the same. */
  public String label() {
    return LedgerEntry.label(source, component);
  }

  /** A new array shaped like {@code values}, every cell NaN. */
  public double[][] blank() {
    return blankLike(values);
  }

  /** A new array shaped like {@code cells}, every cell NaN. */
  public static double[][] blankLike(double[][] cells) {
    double[][] out = new double[cells.length][];
    for (int i = 0; i < cells.length; i++) {
      out[i] = new double[cells[i].length];
      java.util.Arrays.fill(out[i], Double.NaN);
    }
    return out;
  }

  /** Every value that is there (not NaN), episode by episode, turn by turn. */
  public double[] present() {
    return present(values);
  }

  /** Every non-NaN cell of {@code cells}, row by row. */
  public static double[] present(double[][] cells) {
    int n = 0;
    for (double[] row : cells) {
      for (double x : row) {
        if (!Double.isNaN(x)) {
          n++;
        }
      }
    }
    double[] out = new double[n];
    int k = 0;
    for (double[] row : cells) {
      for (double x : row) {
        if (!Double.isNaN(x)) {
          out[k++] = x;
        }
      }
    }
    return out;
  }
}
