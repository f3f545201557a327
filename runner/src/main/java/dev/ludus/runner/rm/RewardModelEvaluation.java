package dev.ludus.runner.rm;

import dev.ludus.api.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code ludus rm eval}: a reward model's accuracy on preference pairs (the share whose chosen side it scores
 * higher), overall and by category as RewardBench's table reports it, and its calibration: reading
 * {@code σ(r(chosen) − r(rejected))} as the model's probability that the chosen side is preferred, the expected
 * calibration error over ten equal-width bins of the confidence {@code max(p, 1 − p)} (Guo et al. 2017), which is 0
 * when the model is right exactly as often as it is confident.
 */
public final class RewardModelEvaluation {
  private RewardModelEvaluation() {}

  /**
   * One row of the table.
   *
   * @param category the category, or "all"
   * @param pairs pairs in it
   * @param accuracy the share ranked right
   * @param meanMargin the mean {@code r(chosen) − r(rejected)}
   */
  public record Row(String category, int pairs, double accuracy, double meanMargin) {}

  /**
   * The evaluation.
   *
   * @param overall every pair
   * @param categories one row per category, by name
   * @param calibrationError the expected calibration error (0 to 1)
   * @param bins per confidence bin (10, from [0.5, 0.55) up): pairs, mean confidence, accuracy
   */
  public record Report(Row overall, List<Row> categories, double calibrationError, List<double[]> bins) {
    /** The table as text. */
    public String table() {
      StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-28s %7s %9s %12s%n", "category", "pairs",
          "accuracy", "mean margin"));
      for (Row r : categories) {
        b.append(String.format(Locale.ROOT, "%-28s %7d %9.3f %12.3f%n", r.category(), r.pairs(), r.accuracy(),
            r.meanMargin()));
      }
      b.append(String.format(Locale.ROOT, "%-28s %7d %9.3f %12.3f%n", "all", overall.pairs(), overall.accuracy(),
          overall.meanMargin()));
      b.append(String.format(Locale.ROOT, "expected calibration error: %.3f (10 confidence bins)%n", calibrationError));
      return b.toString();
    }
  }

  /** Scores both sides of every pair and tabulates. */
  public static Report evaluate(RewardModel model, List<PreferenceExample> examples) {
    List<List<Message>> conversations = new ArrayList<>();
    for (PreferenceExample e : examples) {
      conversations.add(e.chosen());
      conversations.add(e.rejected());
    }
    float[] scores = model.score(conversations, 64);
    double[] margins = new double[examples.size()];
    for (int i = 0; i < margins.length; i++) {
      margins[i] = scores[2 * i] - scores[2 * i + 1];
    }
    return report(examples.stream().map(PreferenceExample::category).toList(), margins);
  }

  /** The report of pairs with these categories and margins {@code r(chosen) − r(rejected)}. */
  static Report report(List<String> categories, double[] margins) {
    Map<String, double[]> byCategory = new TreeMap<>(); // pairs, right, margin sum
    double[][] bins = new double[10][3]; // pairs, confidence sum, right
    int right = 0;
    double marginSum = 0;
    for (int i = 0; i < margins.length; i++) {
      boolean ok = margins[i] > 0;
      right += ok ? 1 : 0;
      marginSum += margins[i];
      double[] c = byCategory.computeIfAbsent(categories.get(i), k -> new double[3]);
      c[0]++;
      c[1] += ok ? 1 : 0;
      c[2] += margins[i];
      double p = 1 / (1 + Math.exp(-margins[i]));
      double confidence = Math.max(p, 1 - p);
      int bin = Math.min(9, (int) ((confidence - 0.5) / 0.05));
      bins[bin][0]++;
      bins[bin][1] += confidence;
      bins[bin][2] += ok ? 1 : 0; // the side it is confident in is the one it scores higher: right when that is chosen
    }
    List<Row> rows = new ArrayList<>();
    byCategory.forEach((k, c) -> rows.add(new Row(k, (int) c[0], c[1] / c[0], c[2] / c[0])));
    int n = margins.length;
    double ece = 0;
    List<double[]> binRows = new ArrayList<>();
    for (double[] b : bins) {
      if (b[0] > 0) {
        ece += b[0] / n * Math.abs(b[2] / b[0] - b[1] / b[0]);
      }
      binRows.add(new double[] {b[0], b[0] == 0 ? 0 : b[1] / b[0], b[0] == 0 ? 0 : b[2] / b[0]});
    }
    return new Report(new Row("all", n, n == 0 ? 0 : (double) right / n, n == 0 ? 0 : marginSum / n), rows, ece,
        binRows);
  }
}
