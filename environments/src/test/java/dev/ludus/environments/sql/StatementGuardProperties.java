package dev.ludus.environments.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The guard's laws: the first keyword decides, whatever comments, spaces and case come before it. */
class StatementGuardProperties {
  @Provide
  Arbitrary<String> lead() {
    return Arbitraries.of("", " ", "\n\t ", "-- note\n", "/* a comment */ ", "/* x */ -- y\n  ", "--\n/**/");
  }

  @Provide
  Arbitrary<String> write() {
    return Arbitraries.of("insert into t values (1)", "update t set x = 1", "delete from t", "drop table t",
        "create table u (a)", "attach database 'x' as x", "detach x", "replace into t values (1)", "vacuum",
        "begin", "commit", "alter table t add column y", "pragma writable_schema = 1", "pragma journal_mode = wal",
        "pragma table_info(t) = 1", "reindex", "analyze", "savepoint s");
  }

  @Provide
  Arbitrary<String> read() {
    return Arbitraries.of("select 1", "with a as (select 1) select * from a", "values (1), (2)",
        "explain query plan select 1", "pragma table_info(t)", "pragma main.table_info(t)", "pragma table_list",
        "select ';' as s", "select \"a;b\" from t", "select [x;] from t", "select 1 -- ; drop table t",
        "select 1;", "select 1 ; ;");
  }

  @Provide
  Arbitrary<Boolean> upper() {
    return Arbitraries.of(true, false);
  }

  @Property(tries = 80)
  void everyWriteIsRefused(@ForAll("lead") String lead, @ForAll("write") String write, @ForAll("upper") boolean upper) {
    String sql = lead + (upper ? write.toUpperCase(Locale.ROOT) : write);
    assertTrue(StatementGuard.refusal(sql).isPresent(), sql);
  }

  @Property(tries = 80)
  void everyReadIsLetThrough(@ForAll("lead") String lead, @ForAll("read") String read, @ForAll("upper") boolean upper) {
    String sql = lead + (upper ? read.toUpperCase(Locale.ROOT) : read);
    assertFalse(StatementGuard.refusal(sql).isPresent(), sql + ": " + StatementGuard.refusal(sql));
  }

  @Property(tries = 80)
  void aSecondStatementAfterAReadIsRefused(@ForAll("read") String read, @ForAll("write") String write) {
    String first = read.replaceAll(";\\s*;?\\s*$", "").replaceAll("--.*$", "");
    String sql = first + "; " + write;
    assertTrue(StatementGuard.refusal(sql).isPresent(), sql);
  }

  @Property(tries = 50)
  void whatIsQuotedIsNeverReadAsCode(@ForAll("read") String read) {
    String code = StatementGuard.codeOnly(read);
    assertEquals(-1, code.indexOf("a;b"), code);
  }
}
