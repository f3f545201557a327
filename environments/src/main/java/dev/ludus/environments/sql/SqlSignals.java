package dev.ludus.environments.sql;

import dev.ludus.api.SignalKey;
import java.util.List;

/**
 * The signal keys {@code text-to-sql} publishes beyond {@link dev.ludus.api.StandardSignals}. Constants only;
 * thread-safe.
 *
 * <p>Every step that runs a query (an exploring {@code <sql>} or {@code execute_sql}, and the final answer)
 * publishes {@link #SQL_RAN}, {@link #SQL_ROWS} or {@link #SQL_ERROR}, and, when the query parses,
 * {@link #SQL_TABLES} and {@link #SQL_COLUMNS}. The final step adds {@link #EXECUTION_MATCH} and the reward
 * components of the papers, each its own signal named {@code sql-reward-<component>} (see {@link #REWARD_EXECUTION}
 * and its neighbours), so that the {@code sql-reward} shaper writes each as its own ledger component.
 */
public final class SqlSignals {
  private SqlSignals() {}

  /** Whether the step's query ran to the end without an error, a refusal or a timeout. */
  public static final SignalKey<Boolean> SQL_RAN = SignalKey.of("sql-ran", Boolean.class);

  /** Why the step's query gave no rows: SQLite's error text, the sandbox's refusal, or {@code timeout}. */
  public static final SignalKey<String> SQL_ERROR = SignalKey.of("sql-error", String.class);

  /** How many rows the step's query returned (on the database the agent explores). */
  public static final SignalKey<Integer> SQL_ROWS = SignalKey.of("sql-rows", Integer.class);

  /** The tables the step's query references, lower-cased and sorted (JSqlParser; absent when it does not parse). */
  public static final SignalKey<List<String>> SQL_TABLES = SignalKey.listOf("sql-tables", String.class);

  /** The columns the step's query references, lower-cased and sorted (absent when it does not parse). */
  public static final SignalKey<List<String>> SQL_COLUMNS = SignalKey.listOf("sql-columns", String.class);

  /** How many agent turns are left after this one (multi-turn mode). */
  public static final SignalKey<Integer> TURNS_LEFT = SignalKey.of("turns-left", Integer.class);

  /** At reset: the question's template kind ({@code filter}, {@code join}, ...; {@code spider}/{@code bird} when loaded). */
  public static final SignalKey<String> QUESTION_KIND = SignalKey.of("question-kind", String.class);

  /** At reset: the gold query. Secret: it never appears in what the agent sees. */
  public static final SignalKey<String> GOLD_SQL = SignalKey.secret("gold-sql", String.class);

  /**
   * On the final step: execution accuracy, whether the answer's rows equal the gold rows on every instance of
   * the database (the one explored and its perturbed copies), by the configured {@code match}.
   */
  public static final SignalKey<Boolean> EXECUTION_MATCH = SignalKey.of("execution-match", Boolean.class);

  /** Reasoning-SQL's execution reward: 3 on execution match, else 0 (the LLM judge's 0–2 is not reproduced). */
  public static final SignalKey<Double> REWARD_EXECUTION = reward("execution");

  /** Reasoning-SQL's syntax reward: 1 if the answer runs on the database, else 0. */
  public static final SignalKey<Double> REWARD_SYNTAX = reward("syntax");

  /** Reasoning-SQL's schema-linking reward: the recall of the gold's tables and columns, in [0, 1]. */
  public static final SignalKey<Double> REWARD_SCHEMA_LINKING = reward("schema-linking");

  /** Reasoning-SQL's n-gram reward: the Jaccard similarity of the answer's and the gold's token bigrams. */
  public static final SignalKey<Double> REWARD_NGRAM = reward("ngram");

  /** Reasoning-SQL's (TRL's) xmlcount format reward, at most 0.5 (single-turn, text tags). */
  public static final SignalKey<Double> REWARD_XML_COUNT = reward("xml-count");

  /** Reasoning-SQL's soft format reward: 0.5 for {@code <reasoning>…</reasoning> <answer>…</answer>}. */
  public static final SignalKey<Double> REWARD_SOFT_FORMAT = reward("soft-format");

  /** Reasoning-SQL's strict format reward: 0.5 for the exact line layout of the two tags. */
  public static final SignalKey<Double> REWARD_STRICT_FORMAT = reward("strict-format");

  /** SkyRL-SQL's outcome reward: −1 when the format is invalid, 1 on execution match, else 0 (multi-turn). */
  public static final SignalKey<Double> REWARD_SKYRL = reward("skyrl");

  /** The reward components above, in order. */
  public static List<SignalKey<Double>> rewards() {
    return List.of(REWARD_EXECUTION, REWARD_SYNTAX, REWARD_SCHEMA_LINKING, REWARD_NGRAM, REWARD_XML_COUNT,
        REWARD_SOFT_FORMAT, REWARD_STRICT_FORMAT, REWARD_SKYRL);
  }

  /** Every key of this class. */
  public static List<SignalKey<?>> all() {
    List<SignalKey<?>> all = new java.util.ArrayList<>(List.of(SQL_RAN, SQL_ERROR, SQL_ROWS, SQL_TABLES, SQL_COLUMNS,
        TURNS_LEFT, QUESTION_KIND, GOLD_SQL, EXECUTION_MATCH));
    all.addAll(rewards());
    return List.copyOf(all);
  }

  private static SignalKey<Double> reward(String component) {
    return SignalKey.of("sql-reward-" + component, Double.class);
  }
}
