package dev.ludus.environments.sql;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExecutionMatchTest {
  private static QueryResult.Rows rows(Object[]... rows) {
    return new QueryResult.Rows(List.of("a"), Arrays.stream(rows).map(Arrays::asList).toList(), false);
  }

  @Test
  void setMatchIgnoresOrderAndDuplicatesAndReadsNumbersAsPythonDoes() {
    QueryResult.Rows gold = rows(new Object[] {1L, "x"}, new Object[] {2.5, null});
    assertTrue(ExecutionMatch.SET.matches(rows(new Object[] {2.5, null}, new Object[] {1.0, "x"},
        new Object[] {1L, "x"}), gold, "SELECT a, b FROM t"));
    assertFalse(ExecutionMatch.SET.matches(rows(new Object[] {"1", "x"}, new Object[] {2.5, null}), gold, "SELECT 1"));
    assertFalse(ExecutionMatch.SET.matches(rows(new Object[] {1L, "x"}), gold, "SELECT 1"));
  }

  @Test
  void orderedMatchNeedsTheGoldsOrderOnlyWhenTheGoldOrders() {
    QueryResult.Rows gold = rows(new Object[] {1L}, new Object[] {2L});
    QueryResult.Rows reversed = rows(new Object[] {2L}, new Object[] {1L});
    assertFalse(ExecutionMatch.ORDERED.matches(reversed, gold, "SELECT a FROM t ORDER BY a"));
    assertTrue(ExecutionMatch.ORDERED.matches(reversed, gold, "SELECT a FROM t"));
    assertFalse(ExecutionMatch.ORDERED.matches(rows(new Object[] {1L}, new Object[] {2L}, new Object[] {2L}), gold,
        "SELECT a FROM t"), "without ORDER BY the rows are a multiset: duplicates count");
  }

  @Test
  void aCutResultNeverMatches() {
    QueryResult.Rows gold = rows(new Object[] {1L});
    QueryResult.Rows cut = new QueryResult.Rows(List.of("a"), List.of(List.of(1L)), true);
    assertFalse(ExecutionMatch.SET.matches(cut, gold, "SELECT 1"));
  }
}
