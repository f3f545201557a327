package dev.ludus.environments.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.ToolSpec;
import dev.ludus.api.tools.Tool;
import dev.ludus.api.tools.ToolResult;
import dev.ludus.environments.tools.sandbox.SandboxError;
import dev.ludus.environments.tools.sandbox.World;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;

/**
 * A sandbox method as a {@link Tool} of one episode: runs the call on the episode's current {@link World} and
 * makes the new world current. Not thread-safe: the dispatcher runs one call at a time.
 *
 * <p>Design note: the call is pure and quick (sandbox inputs and states are bounded), so it runs on the
 * dispatching thread. Its time limit is enforced here as well as by the dispatcher: a call that took longer than
 * the limit (less a small slack, so that this check and the dispatcher's timer can never disagree) is reported as
 * timed out and its change to the world is discarded, so a timed-out call never changes the state.
 */
final class SandboxTool implements Tool {
  /** Runs a call on a world (the sandbox); tests substitute a slow one. */
  @FunctionalInterface
  interface Runner {
    World.Result run(World world, String tool, ObjectNode arguments);
  }

  /** The episode's world, shared by its tools. */
  static final class Session {
    World world;

    Session(World world) {
      this.world = Objects.requireNonNull(world, "world");
    }
  }

  private final ToolSpec spec;
  private final Duration limit;
  private final long commitNanos;
  private final Session session;
  private final Runner runner;

  SandboxTool(ToolSpec spec, Duration limit, Session session, Runner runner) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.limit = Objects.requireNonNull(limit, "limit");
    long slack = Math.min(Duration.ofMillis(10).toNanos(), limit.toNanos() / 10);
    this.commitNanos = limit.toNanos() - slack;
    this.session = Objects.requireNonNull(session, "session");
    this.runner = Objects.requireNonNull(runner, "runner");
  }

  SandboxTool(ToolSpec spec, Duration limit, Session session) {
    this(spec, limit, session, World::call);
  }

  @Override
  public ToolSpec spec() {
    return spec;
  }

  @Override
  public Duration timeLimit() {
    return limit;
  }

  @Override
  public CompletionStage<ToolResult> call(ObjectNode arguments) {
    long start = System.nanoTime();
    World.Result result;
    try {
      result = runner.run(session.world, spec.name(), arguments);
    } catch (SandboxError e) {
      return CompletableFuture.completedFuture(ToolResult.failure(e.getMessage()));
    }
    if (System.nanoTime() - start > commitNanos) {
      return CompletableFuture.failedFuture(new TimeoutException("'" + spec.name() + "' took longer than "
          + limit.toMillis() + " ms"));
    }
    session.world = result.world();
    return CompletableFuture.completedFuture(ToolResult.success(result.content()));
  }
}
