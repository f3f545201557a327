package dev.ludus.shaping.judge;

/**
 * Length-bias control over one group: when the judge's totals correlate with the judged episodes' lengths
 * (Pearson r over the scored episodes of a group of at least {@code minGroup}) above {@code threshold}, the
 * length-explained part of the totals is removed: {@code s'_i = s_i − β (L_i − L̄)}, β the least-squares slope of
 * s on L. The group's mean total is kept, and within the group the adjusted totals no longer grow (or shrink)
 * with length; a group whose correlation stays within the threshold is left exactly as the judge scored it.
 * Stateless.
 */
final class LengthBias {
  private LengthBias() {}

  /** Pearson's r of {@code s} and {@code len}; 0 when either is constant. */
  static double correlation(double[] s, double[] len) {
    int n = s.length;
    double ms = 0;
    double ml = 0;
    for (int i = 0; i < n; i++) {
      ms += s[i];
      ml += len[i];
    }
    ms /= n;
    ml /= n;
    double sl = 0;
    double ss = 0;
    double ll = 0;
    for (int i = 0; i < n; i++) {
      sl += (s[i] - ms) * (len[i] - ml);
      ss += (s[i] - ms) * (s[i] - ms);
      ll += (len[i] - ml) * (len[i] - ml);
    }
    return ss == 0 || ll == 0 ? 0 : sl / Math.sqrt(ss * ll);
  }

  /**
   * The totals {@code s} with the length-explained part removed when |r| > {@code threshold} and there are at least
   * {@code minGroup} of them; else {@code s} itself.
   */
  static double[] control(double[] s, double[] len, double threshold, int minGroup) {
    int n = s.length;
    if (n < Math.max(2, minGroup) || Math.abs(correlation(s, len)) <= threshold) {
      return s;
    }
    double ml = 0;
    double ms = 0;
    for (int i = 0; i < n; i++) {
      ml += len[i];
      ms += s[i];
    }
    ml /= n;
    ms /= n;
    double sl = 0;
    double ll = 0;
    for (int i = 0; i < n; i++) {
      sl += (s[i] - ms) * (len[i] - ml);
      ll += (len[i] - ml) * (len[i] - ml);
    }
    double beta = sl / ll;
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = s[i] - beta * (len[i] - ml);
    }
    return out;
  }
}
