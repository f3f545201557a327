package dev.ludus.environments.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.AsyncEnvironment;
import dev.ludus.api.Message;
import dev.ludus.api.Reset;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.StepResult;
import dev.ludus.api.Task;
import dev.ludus.api.ToolSpec;
import dev.ludus.api.tools.StrictJson;
import dev.ludus.api.tools.Tool;
import dev.ludus.api.tools.ToolDispatch;
import dev.ludus.api.tools.ToolDispatcher;
import dev.ludus.api.tools.ToolResult;
import dev.ludus.environments.sql.TextToSqlConfig.Actions;
import dev.ludus.environments.sql.TextToSqlConfig.Mode;
import dev.ludus.environments.sql.TextToSqlConfig.Reward;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One {@code text-to-sql} episode at a time: the question, its database, the turns so far. Every query runs in
 * the run's {@link SqlSandbox}, off the event loop; each step's stage completes on a sandbox thread. See
 * {@link TextToSqlProvider} for the protocol and rewards. Not thread-safe (the runtime calls one method at a time).
 */
final class TextToSqlEnvironment implements AsyncEnvironment {
  private final TextToSqlConfig config;
  private final SqlWorld world;
  private final SqlSandbox sandbox;
  private final SqlSandbox.Limits explore;
  private final SqlSandbox.Limits grade;
  private final ToolDispatcher tools;

  private SqlWorld.Question question;
  private SqlWorld.Database database;
  private int turns;
  private final StringBuilder history = new StringBuilder();
  private Run lastRun;

  TextToSqlEnvironment(TextToSqlConfig config, SqlWorld world, SqlSandbox sandbox) {
    this.config = config;
    this.world = world;
    this.sandbox = sandbox;
    this.explore = new SqlSandbox.Limits(config.exploreTimeoutMillis(), config.maxRows());
    this.grade = new SqlSandbox.Limits(config.gradeTimeoutMillis(), config.maxRows());
    this.tools = config.actions() == Actions.TOOLS ? dispatcher() : null;
  }

  private ToolDispatcher dispatcher() {
    Tool submit = Tool.of(Prompts.SUBMIT_SPEC, args -> "Submitted.");
    if (config.mode() == Mode.SINGLE_TURN) {
      return ToolDispatcher.of(submit);
    }
    Tool execute = new Tool() {
      @Override
      public ToolSpec spec() {
        return Prompts.EXECUTE_SQL_SPEC;
      }

      /** The sandbox's watchdog ends a query at the explore limit; the dispatcher waits a little longer. */
      @Override
      public Duration timeLimit() {
        return Duration.ofMillis(config.exploreTimeoutMillis() + 10_000);
      }

      /** A query that fails is still an answer: the error is the tool message, as in the tag protocol. */
      @Override
      public CompletionStage<ToolResult> call(ObjectNode arguments) {
        String sql = arguments.get("sql").asText();
        return sandbox.submit(() -> run(sql, explore)).thenApply(run -> {
          lastRun = run;
          return ToolResult.success(body(run) + "\n" + SkyRlSql.reminder(turnsLeft()));
        });
      }
    };
    return ToolDispatcher.of(execute, submit);
  }

  @Override
  public CompletionStage<Reset> reset(Task task, long seed) {
    question = world.question(task.seed(), config.split());
    database = world.database(question.dbId());
    turns = 0;
    history.setLength(0);
    lastRun = null;
    Signals signals = Signals.builder().put(SqlSignals.QUESTION_KIND, question.kind())
        .put(SqlSignals.GOLD_SQL, question.sql()).build();
    return CompletableFuture.completedFuture(
        new Reset(Prompts.opening(config, question, database), Prompts.tools(config), signals));
  }

  @Override
  public CompletionStage<StepResult> step(Message action) {
    turns++;
    if (config.actions() == Actions.TOOLS) {
      return tools.dispatch(action).thenCompose(d -> afterTools(action, d));
    }
    String text = action.content();
    if (config.mode() == Mode.SINGLE_TURN) {
      boolean readable = text.contains("```sql") || (text.contains("<answer>") && text.contains("</answer>"));
      return grade(ReasoningSql.extractSql(text), text, true, readable ? null : "no ```sql block and no <answer>...</answer>");
    }
    history.append(text);
    if (SkyRlSql.answers(text)) {
      Optional<String> valid = SkyRlSql.validSolution(history.toString());
      String sql = valid.orElseGet(() -> SkyRlSql.lastSolution(text).orElse(""));
      return grade(sql, text, valid.isPresent(), null);
    }
    if (turns >= config.maxTurns()) {
      return outOfTurns(null);
    }
    Optional<String> sql = SkyRlSql.query(text);
    if (sql.isEmpty() || !action.toolCalls().isEmpty()) {
      String observation = SkyRlSql.observation(SkyRlSql.INVALID, turnsLeft());
      history.append(observation);
      String why = action.toolCalls().isEmpty() ? "no <sql>...</sql> and no <solution>...</solution>"
          : "tool calls are not read here: write <sql>...</sql> or <solution>...</solution>";
      return CompletableFuture.completedFuture(StepResult.next(Message.user(observation), Signals.builder()
          .put(StandardSignals.INVALID_ACTION, why).put(SqlSignals.TURNS_LEFT, turnsLeft()).build()));
    }
    return sandbox.submit(() -> run(sql.get(), explore)).thenApply(run -> {
      String observation = SkyRlSql.observation(body(run), turnsLeft());
      history.append(observation);
      Signals.Builder s = Signals.builder().putAll(run.signals()).put(SqlSignals.TURNS_LEFT, turnsLeft());
      return StepResult.next(Message.user(observation), s.build());
    });
  }

  private CompletionStage<StepResult> afterTools(Message action, ToolDispatch d) {
    if (!d.called()) {
      String why = "no tool call: call " + (config.mode() == Mode.MULTI_TURN ? "execute_sql to run a query, or " : "")
          + "submit to give the final query";
      if (config.mode() == Mode.SINGLE_TURN) {
        return grade("", action.content(), false, why);
      }
      if (turns >= config.maxTurns()) {
        return outOfTurns(why);
      }
      return CompletableFuture.completedFuture(StepResult.next(Message.user("Error: " + why + "."),
          Signals.builder().put(StandardSignals.INVALID_ACTION, why).put(SqlSignals.TURNS_LEFT, turnsLeft()).build()));
    }
    Optional<String> submitted = d.outcomes().stream()
        .filter(o -> o.succeeded() && o.call().name().equals(Prompts.SUBMIT)).findFirst()
        .map(o -> sqlArgument(o.call().arguments()));
    if (submitted.isPresent()) {
      return grade(submitted.get(), action.content(), true, null).thenApply(r -> new StepResult(d.messages(), r.reward(),
          r.terminated(), r.truncated(), Signals.builder().putAll(d.signals()).putAll(r.signals()).build()));
    }
    if (config.mode() == Mode.SINGLE_TURN || turns >= config.maxTurns()) {
      String why = config.mode() == Mode.SINGLE_TURN ? "no valid submit call" : null;
      CompletionStage<StepResult> end = config.mode() == Mode.SINGLE_TURN
          ? grade("", action.content(), false, why) : outOfTurns(null);
      return end.thenApply(r -> new StepResult(d.messages(), r.reward(), r.terminated(), r.truncated(),
          Signals.builder().putAll(d.signals()).putAll(r.signals()).build()));
    }
    Signals.Builder s = Signals.builder().putAll(d.signals()).put(SqlSignals.TURNS_LEFT, turnsLeft());
    if (lastRun != null) {
      s.putAll(lastRun.signals());
      lastRun = null;
    }
    return CompletableFuture.completedFuture(new StepResult(d.messages(), 0, false, false, s.build()));
  }

  private static String sqlArgument(String arguments) {
    return StrictJson.tryParseObject(arguments).map(o -> o.get("sql")).filter(JsonNode::isTextual)
        .map(JsonNode::asText).orElse("");
  }

  /** The last turn went by without an answer: truncated, rewarded as an answer that is missing. */
  private CompletionStage<StepResult> outOfTurns(String invalid) {
    return grade("", "", false, invalid).thenApply(r -> new StepResult(List.of(), r.reward(), false, true, r.signals()));
  }

  private int turnsLeft() {
    return Math.max(0, config.maxTurns() - turns);
  }

  /** A query that ran (or not) and what it references. */
  private record Run(String sql, QueryResult result, Optional<SqlReferences> references) {
    Signals signals() {
      Signals.Builder s = Signals.builder().put(SqlSignals.SQL_RAN, result.ran());
      if (result instanceof QueryResult.Rows rows) {
        s.put(SqlSignals.SQL_ROWS, rows.size());
      } else {
        QueryResult.Failed f = (QueryResult.Failed) result;
        s.put(SqlSignals.SQL_ERROR, f.failure() == QueryResult.Failure.TIMEOUT ? "timeout" : f.message());
      }
      references.ifPresent(r -> s.put(SqlSignals.SQL_TABLES, r.sortedTables()).put(SqlSignals.SQL_COLUMNS,
          r.sortedColumns()));
      return s.build();
    }
  }

  /** Runs {@code sql} on the explored instance; blocks, so it runs on a sandbox thread. */
  private Run run(String sql, SqlSandbox.Limits limits) {
    if (sql.isBlank()) {
      return new Run(sql, new QueryResult.Failed(QueryResult.Failure.REFUSED, "no answer"), Optional.empty());
    }
    QueryResult result = sandbox.execute(database.instances().get(0), sql, limits);
    return new Run(sql, result, SqlReferences.of(sql, sandbox.parsers()));
  }

  /** What the agent reads about a query: the table, or SkyRL's error and timeout texts. */
  private static String body(Run run) {
    if (run.result() instanceof QueryResult.Rows rows) {
      return ResultTable.render(rows);
    }
    QueryResult.Failed f = (QueryResult.Failed) run.result();
    return f.failure() == QueryResult.Failure.TIMEOUT ? "SQL Timeout:\n" + run.sql() : "Error executing SQL: " + f.message();
  }

  /**
   * The final step: runs {@code sql} on every instance, compares with the gold, computes every reward component
   * the mode publishes, and ends the episode (terminated). Runs on a sandbox thread.
   *
   * @param completion the text the format rewards read
   * @param formatValid SkyRL's format check (multi-turn), or whether a submit call was made (tools)
   * @param invalid why the action could not be read, or null
   */
  private CompletionStage<StepResult> grade(String sql, String completion, boolean formatValid, String invalid) {
    SqlWorld.Question q = question;
    return sandbox.submit(() -> {
      Run run = run(sql, grade);
      boolean match = false;
      boolean predictedRows = false;
      boolean goldRows = false;
      if (run.result() instanceof QueryResult.Rows rows) {
        List<QueryResult.Rows> gold = world.gold(q, sandbox, grade);
        predictedRows = rows.size() > 0;
        goldRows = gold.get(0).size() > 0;
        match = config.match().matches(rows, gold.get(0), q.sql());
        for (int i = 1; match && i < gold.size(); i++) {
          QueryResult other = sandbox.execute(database.instances().get(i), sql, grade);
          match = other instanceof QueryResult.Rows r && config.match().matches(r, gold.get(i), q.sql());
        }
      }
      boolean tags = config.actions() == Actions.TAGS;
      Signals.Builder s = Signals.builder().putAll(run.signals()).put(SqlSignals.EXECUTION_MATCH, match)
          .put(StandardSignals.SUCCESS, match);
      if (invalid != null) {
        s.put(StandardSignals.INVALID_ACTION, invalid);
      }
      double execution = sql.contains("SELECT") && match && predictedRows && goldRows ? 3.0 : 0.0;
      double syntax = run.result().ran() ? 1.0 : 0.0;
      double schema = ReasoningSql.schemaLinking(sql, run.references(), world.goldReferences(q, sandbox.parsers()));
      double ngram = ReasoningSql.bigramJaccard(sql, q.sql());
      double sum = execution + syntax + schema + ngram;
      s.put(SqlSignals.REWARD_EXECUTION, execution).put(SqlSignals.REWARD_SYNTAX, syntax)
          .put(SqlSignals.REWARD_SCHEMA_LINKING, schema).put(SqlSignals.REWARD_NGRAM, ngram);
      double skyrl = formatValid ? (match ? 1.0 : 0.0) : -1.0;
      if (config.mode() == Mode.MULTI_TURN) {
        s.put(SqlSignals.REWARD_SKYRL, skyrl);
      } else if (tags) {
        double xml = ReasoningSql.xmlCount(completion);
        double soft = ReasoningSql.softFormat(completion);
        double strict = ReasoningSql.strictFormat(completion);
        s.put(SqlSignals.REWARD_XML_COUNT, xml).put(SqlSignals.REWARD_SOFT_FORMAT, soft)
            .put(SqlSignals.REWARD_STRICT_FORMAT, strict);
        sum += xml + soft + strict;
      }
      Reward reward = config.effectiveReward();
      double value = reward == Reward.SKYRL ? skyrl : reward == Reward.EXECUTION ? (match ? 1.0 : 0.0) : sum;
      return new StepResult(List.of(), value, true, false, s.build());
    });
  }
}
