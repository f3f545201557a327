package dev.ludus.environments.sql;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Message;
import dev.ludus.api.ToolCall;
import dev.ludus.environments.sql.TextToSqlConfig.Actions;
import dev.ludus.environments.sql.TextToSqlConfig.Mode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Replays the gold query: in multi-turn mode it first runs it to explore ({@code <sql>} or {@code execute_sql}),
 * then answers with it ({@code <solution>} or {@code submit}); in single-turn mode it answers at once in
 * Reasoning-SQL's exact format. It is privileged: it finds the task's question the way the environment does (in the
 * configured {@code split}), in
 * a copy of the world of its own (the provider's {@code oracle(config)} has no plugin context to share the
 * run's): generated questions are made again from the same seed on a thread of its own, on first use, and the
 * copy's files are deleted at once; loaded ones are read from the same files. Thread-safe.
 */
final class TextToSqlOracle implements Agent {
  private final TextToSqlConfig config;
  private ExecutorService builder;
  private CompletableFuture<List<SqlWorld.Question>> questions;

  TextToSqlOracle(TextToSqlConfig config) {
    this.config = config;
  }

  @Override
  public CompletionStage<AgentResponse> act(AgentRequest request) {
    return questions().thenApply(qs -> {
      if (qs.isEmpty()) {
        return AgentResponse.failure("oracle: split " + config.split() + " has no question");
      }
      SqlWorld.Question q = qs.get((int) Math.floorMod(request.task().seed(), (long) qs.size()));
      return AgentResponse.reply(reply(q.sql(), request.turn()));
    });
  }

  private Message reply(String gold, int turn) {
    boolean explore = config.mode() == Mode.MULTI_TURN && turn == 0 && config.maxTurns() > 1;
    if (config.actions() == Actions.TOOLS) {
      String arguments = JsonNodeFactory.instance.objectNode().put("sql", gold).toString();
      return Message.assistant("", List.of(ToolCall.of("call-" + turn, explore ? Prompts.EXECUTE_SQL : Prompts.SUBMIT,
          arguments)));
    }
    if (config.mode() == Mode.SINGLE_TURN) {
      return Message.assistant("<reasoning>\nThe query below selects exactly what the question asks for.\n</reasoning>\n"
          + "<answer>\n" + gold.strip().replaceAll("\\s*\\n\\s*", " ") + "\n</answer>\n");
    }
    return Message.assistant(explore
        ? "<think>I run the query that answers the question and check its result.</think>\n<sql>" + gold + "</sql>"
        : "<think>The result answers the question.</think>\n<solution>" + gold + "</solution>");
  }

  private synchronized CompletableFuture<List<SqlWorld.Question>> questions() {
    if (questions == null) {
      builder = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ludus-text-to-sql-oracle");
        t.setDaemon(true);
        return t;
      });
      questions = CompletableFuture.supplyAsync(this::load, builder);
      questions.whenComplete((q, e) -> builder.shutdown());
    }
    return questions;
  }

  /** The questions of the configured split, as the environment makes or reads them. Blocks. */
  private List<SqlWorld.Question> load() {
    if (config.data() != TextToSqlConfig.Source.GENERATED) {
      try (SqlSandbox sandbox = new SqlSandbox(1); SqlWorld world = TextToSqlProvider.open(config, sandbox)) {
        return world.split(config.split());
      }
    }
    Path dir;
    try {
      dir = Files.createTempDirectory("ludus-text-to-sql-oracle-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (SqlSandbox sandbox = new SqlSandbox(1);
        SqlWorld world = GeneratedWorld.build(GeneratedWorld.Plan.of(config), dir, sandbox,
            TextToSqlProvider.gradeLimits(config), true)) {
      return world.split(config.split());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      SqlWorld.deleteTree(dir);
    }
  }

  @Override
  public synchronized void close() {
    if (builder != null) {
      builder.shutdownNow();
    }
  }
}
