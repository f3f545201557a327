package dev.ludus.runner.learn.advantage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the advantages of one update batch look like: the learner's first diagnostic, since a policy gradient is
 * only as good as its advantages. Every figure is over the agent turns that have output tokens, one value per
 * turn (the mean of its tokens' advantages; every estimator here gives a turn's tokens one value, except
 * REINFORCE++'s token returns).
 *
 * <p>{@code meanByTurn[t]} is the mean advantage of the turns with index {@code t}: where an estimator is biased by
 * turn index (a baseline that depends on how long the episode went on), it drifts with {@code t}. A group whose
 * every advantage is 0 (all its episodes scored alike under a group baseline) gives no policy gradient at all:
 * {@code zeroGroups} counts them. Immutable.
 *
 * @param turns agent turns with output tokens
 * @param mean the mean turn advantage
 * @param std the population standard deviation of the turn advantages
 * @param min the smallest
 * @param max the largest
 * @param meanByTurn the mean advantage at each turn index 0, 1, ...
 * @param turnsByIndex how many turns have each index (the weights of {@code meanByTurn})
 * @param groups the groups of the batch (with at least one episode that did not fail)
 * @param zeroGroups those whose every advantage is exactly 0
 * @param zeroGroupShare {@code zeroGroups / groups}, 0 without groups
 */
public record AdvantageStats(int turns, double mean, double std, double min, double max, double[] meanByTurn,
    int[] turnsByIndex, int groups, int zeroGroups, double zeroGroupShare) {

  /** The statistics of {@code advantages} (an estimator's output for one batch). */
  public static AdvantageStats of(List<TokenAdvantages> advantages) {
    List<Double> all = new ArrayList<>();
    List<double[]> byIndex = new ArrayList<>(); // [sum, count]
    Map<Integer, Boolean> groupZero = new TreeMap<>();
    for (TokenAdvantages ta : advantages) {
      boolean zero = groupZero.getOrDefault(ta.group(), true);
      for (int t = 0; t < ta.turns(); t++) {
        int n = ta.tokens(t);
        if (n == 0) {
          continue;
        }
        double sum = 0;
        for (int k = 0; k < n; k++) {
          float a = ta.get(t, k);
          sum += a;
          zero &= a == 0f;
        }
        double turnMean = sum / n;
        all.add(turnMean);
        while (byIndex.size() <= t) {
          byIndex.add(new double[2]);
        }
        byIndex.get(t)[0] += turnMean;
        byIndex.get(t)[1]++;
      }
      groupZero.put(ta.group(), zero);
    }
    double mean = 0;
    double min = all.isEmpty() ? 0 : Double.POSITIVE_INFINITY;
    double max = all.isEmpty() ? 0 : Double.NEGATIVE_INFINITY;
    for (double a : all) {
      mean += a / all.size();
      min = Math.min(min, a);
      max = Math.max(max, a);
    }
    double ss = 0;
    for (double a : all) {
      ss += (a - mean) * (a - mean);
    }
    double[] meanByTurn = new double[byIndex.size()];
    int[] counts = new int[byIndex.size()];
    for (int t = 0; t < meanByTurn.length; t++) {
      counts[t] = (int) byIndex.get(t)[1];
      meanByTurn[t] = counts[t] == 0 ? 0 : byIndex.get(t)[0] / counts[t];
    }
    int groups = groupZero.size();
    int zeroGroups = (int) groupZero.values().stream().filter(z -> z).count();
    return new AdvantageStats(all.size(), mean, all.isEmpty() ? 0 : Math.sqrt(ss / all.size()), min, max,
        meanByTurn, counts, groups, zeroGroups, groups == 0 ? 0 : (double) zeroGroups / groups);
  }

  @Override
  public double[] meanByTurn() {
    return meanByTurn.clone();
  }

  @Override
  public int[] turnsByIndex() {
    return turnsByIndex.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AdvantageStats s && turns == s.turns && mean == s.mean && std == s.std && min == s.min
        && max == s.max && Arrays.equals(meanByTurn, s.meanByTurn)
        && Arrays.equals(turnsByIndex, s.turnsByIndex) && groups == s.groups && zeroGroups == s.zeroGroups;
  }

  @Override
  public int hashCode() {
    return Objects.hash(turns, mean, std, min, max, Arrays.hashCode(meanByTurn),
        Arrays.hashCode(turnsByIndex), groups, zeroGroups);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "AdvantageStats[%d turns, mean %.3f, std %.3f, [%.3f, %.3f], by turn %s,"
        + " %d/%d zero groups]", turns, mean, std, min, max, Arrays.toString(meanByTurn), zeroGroups, groups);
  }
}
