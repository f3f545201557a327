package dev.ludus.environments.sql;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How an answer's rows are compared with the gold rows (execution accuracy).
 *
 * <p>Values compare as Python compares them: an integer equals the same real ({@code 1 == 1.0}), a string
 * never equals a number, nulls equal nulls. A result cut at the sandbox's row limit never matches.
 */
public enum ExecutionMatch {
  /**
   * BIRD's, SkyRL-SQL's and Reasoning-SQL's rule: the sets of rows are equal
   * ({@code set(pred) == set(gold)}), so row order and duplicate rows do not count.
   */
  @JsonProperty("set")
  SET,
  /**
   * Spider's order-sensitive variant, as test-suite-sql-eval applies it: when the gold query has
   * {@code ORDER BY}, the rows must come in the same order; otherwise the rows compare as multisets
   * (duplicates count). Unlike Spider, columns are not matched up by their {@code SELECT} items: the column
   * order counts too.
   */
  @JsonProperty("ordered")
  ORDERED;

  /** As a configuration writes it: {@code set} or {@code ordered}. */
  @Override
  public String toString() {
    return this == SET ? "set" : "ordered";
  }

  /** Whether {@code predicted} matches {@code gold}, the rows of {@code goldSql}. */
  boolean matches(QueryResult.Rows predicted, QueryResult.Rows gold, String goldSql) {
    if (predicted.truncated() || gold.truncated()) {
      return false;
    }
    List<List<Object>> p = normalized(predicted);
    List<List<Object>> g = normalized(gold);
    if (this == SET) {
      return new HashSet<>(p).equals(new HashSet<>(g));
    }
    if (goldSql.toLowerCase(Locale.ROOT).contains("order by")) {
      return p.equals(g);
    }
    return counts(p).equals(counts(g));
  }

  private static Map<List<Object>, Integer> counts(List<List<Object>> rows) {
    Map<List<Object>, Integer> counts = new HashMap<>();
    rows.forEach(r -> counts.merge(r, 1, Integer::sum));
    return counts;
  }

  private static List<List<Object>> normalized(QueryResult.Rows rows) {
    List<List<Object>> out = new ArrayList<>(rows.size());
    for (List<Object> row : rows.rows()) {
      List<Object> r = new ArrayList<>(row.size());
      for (Object v : row) {
        r.add(key(v));
      }
      out.add(r);
    }
    return out;
  }

  /** A value's comparison key: a real with an integer value (also −0.0) becomes that integer, as in Python. */
  static Object key(Object v) {
    if (v instanceof Double d) {
      if (d == Math.rint(d) && Math.abs(d) < 0x1p53) {
        return d.longValue();
      }
      return d;
    }
    return v;
  }
}
