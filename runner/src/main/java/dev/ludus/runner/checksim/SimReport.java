package dev.ludus.runner.checksim;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What {@code ludus check-sim} measured of one simulated user: one {@link Rate} per check, each the share of probes
 * the user passed (1 is good). Immutable and thread-safe.
 *
 * @param simulator the simulated user's registered name
 * @param environment the environment whose tasks (and oracle) were used, or null when none hosts it
 * @param rates the checks' rates, in a fixed order
 */
public record SimReport(String simulator, String environment, List<Rate> rates) {
  public SimReport {
    Objects.requireNonNull(simulator, "simulator");
    rates = List.copyOf(rates);
  }

  /**
   * One check's rate.
   *
   * @param check the check's name (see {@link SimCheck})
   * @param passed probes passed
   * @param total probes run; 0 when the check does not apply to this user (then the rate is NaN, shown as n/a)
   * @param note what the rate means or why the check did not apply
   * @param example one failing reply, or null
   */
  public record Rate(String check, long passed, long total, String note, String example) {
    public double rate() {
      return total == 0 ? Double.NaN : (double) passed / total;
    }

    /** {@code 0.950 (19/20)} or {@code n/a}. */
    public String shown() {
      return total == 0 ? "n/a" : String.format(Locale.ROOT, "%.3f (%d/%d)", rate(), passed, total);
    }
  }

  /** The rate of {@code check}, or NaN when it did not apply or is absent. */
  public double rate(String check) {
    return rates.stream().filter(r -> r.check().equals(check)).mapToDouble(Rate::rate).findFirst().orElse(Double.NaN);
  }

  /** The checks that applied and fell below {@code threshold}. */
  public List<Rate> below(double threshold) {
    return rates.stream().filter(r -> r.total() > 0 && r.rate() < threshold).toList();
  }

  /** A table for people: one line per check. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(simulator + (environment == null ? "" : " (tasks of " + environment + ")")
        + "\n");
    for (Rate r : rates) {
      b.append(String.format(Locale.ROOT, "  %-24s %-18s %s%n", r.check(), r.shown(), r.note()));
      if (r.example() != null && r.total() > 0 && r.passed() < r.total()) {
        b.append("  ").append(" ".repeat(24)).append(" e.g. ").append(abbreviate(r.example())).append('\n');
      }
    }
    return b.toString();
  }

  private static String abbreviate(String s) {
    String one = s.replaceAll("\\s+", " ").strip();
    return one.length() > 100 ? one.substring(0, 97) + "..." : one;
  }
}
