package dev.ludus.api.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.ToolSpec;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * A tool that an environment runs for the agent: its {@link ToolSpec} (name, description, JSON Schema of the
 * arguments), a time limit, and an asynchronous call. A {@link ToolDispatcher} reads the agent's calls,
 * checks them against the spec, runs them under the time limit and turns the results into tool messages.
 *
 * <p>Three ways to make one:
 *
 * <pre>{@code
 * // a quick pure function, run on the dispatching thread
 * Tool add = Tool.of("add", "Adds two integers", "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"},"
 *     + "\"b\":{\"type\":\"integer\"}},\"required\":[\"a\",\"b\"]}",
 *     args -> String.valueOf(args.get("a").asLong() + args.get("b").asLong()));
 * // something that blocks (a file, JDBC, a big computation), run on an executor
 * Tool query = Tool.blocking(spec, executor, args -> db.run(args.get("sql").asText()));
 * // something asynchronous already: implement call()
 * }</pre>
 *
 * <p>Contract: {@link #call} receives arguments that already satisfy the spec's schema (the dispatcher
 * checks them first) as a tree of its own that it may keep or change. It must not block the calling thread
 * (a quick computation is fine) and it reports the tool's own errors as {@link ToolResult.Failure}; an
 * exception, thrown or in the stage, is also recorded as the tool's error. The dispatcher stops waiting at
 * {@link #timeLimit()} and cancels the stage. Thread-safety: a tool is called from whatever thread
 * dispatches; a tool with state (a sandbox) belongs to one episode, whose calls the dispatcher makes one at
 * a time unless told otherwise.
 */
public interface Tool {
  /** The time limit of a tool that does not say otherwise: 10 seconds. */
  Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(10);

  /** What the agent is told about the tool. */
  ToolSpec spec();

  /** Runs the tool; see the class comment for the contract. */
  CompletionStage<ToolResult> call(ObjectNode arguments);

  /** How long a call may take before it counts as timed out (positive); {@link #DEFAULT_TIME_LIMIT} by default. */
  default Duration timeLimit() {
    return DEFAULT_TIME_LIMIT;
  }

  /** The tool's name, as the agent calls it. */
  default String name() {
    return spec().name();
  }

  /** This tool with another time limit (positive). */
  default Tool withTimeLimit(Duration limit) {
    return new SyncTool.Limited(this, limit);
  }

  /**
   * The body of a synchronous tool: the content of the tool message for these arguments. Throwing (any
   * exception) reports the tool's error; its message is what the agent sees.
   */
  @FunctionalInterface
  interface Body {
    String apply(ObjectNode arguments) throws Exception;
  }

  /**
   * A synchronous tool run on the dispatching thread: for quick, pure work only (arithmetic, a lookup in
   * memory). If it overruns its time limit, its late result is discarded and the call times out, but the
   * dispatching thread was held meanwhile; use {@link #blocking} for anything slow.
   */
  static Tool of(ToolSpec spec, Body body) {
    return new SyncTool(spec, null, body);
  }

  /** {@link #of(ToolSpec, Body)} with the spec given by its parts ({@code parameters} is JSON Schema text). */
  static Tool of(String name, String description, String parameters, Body body) {
    return of(new ToolSpec(name, description, parameters), body);
  }

  /**
   * A synchronous tool whose body may block, run on {@code executor} (for instance the runtime's blocking
   * executor). When the call times out, the body is interrupted if it is still running.
   */
  static Tool blocking(ToolSpec spec, Executor executor, Body body) {
    return new SyncTool(spec, Objects.requireNonNull(executor, "executor"), body);
  }
}
