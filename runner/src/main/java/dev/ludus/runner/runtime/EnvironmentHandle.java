package dev.ludus.runner.runtime;

import dev.ludus.api.AnyEnvironment;
import dev.ludus.api.AsyncEnvironment;
import dev.ludus.api.AsyncMultiAgentEnvironment;
import dev.ludus.api.Environment;
import dev.ludus.api.MatchStart;
import dev.ludus.api.MatchStep;
import dev.ludus.api.Message;
import dev.ludus.api.MultiAgentEnvironment;
import dev.ludus.api.Reset;
import dev.ludus.api.StepResult;
import dev.ludus.api.Task;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Adapts any environment to Vert.x futures bound to one episode's context: a fast synchronous environment
 * runs inline on the event loop, a blocking one on a worker thread, an asynchronous one completes its
 * stage wherever it likes and its result comes back on the context. Exceptions become failed futures. A
 * multi-agent environment is adapted the same way ({@link #startMatch}, {@link #stepMatch}). Confined to the
 * episode's context.
 */
final class EnvironmentHandle {
  private final AnyEnvironment env;
  private final Context context;
  private final boolean blocking;

  EnvironmentHandle(AnyEnvironment env, Context context, boolean blocking) {
    this.env = Objects.requireNonNull(env, "the environment provider created null");
    this.context = context;
    this.blocking = blocking;
  }

  Future<Reset> reset(Task task, long seed) {
    if (env instanceof Environment sync) {
      return call(() -> sync.reset(task, seed), "reset");
    }
    AsyncEnvironment async = (AsyncEnvironment) env;
    return fromStage(() -> async.reset(task, seed), "reset");
  }

  Future<StepResult> step(Message action) {
    if (env instanceof Environment sync) {
      return call(() -> sync.step(action), "step");
    }
    AsyncEnvironment async = (AsyncEnvironment) env;
    return fromStage(() -> async.step(action), "step");
  }

  Future<MatchStart> startMatch(Task task, long seed) {
    if (env instanceof MultiAgentEnvironment sync) {
      return call(() -> sync.reset(task, seed), "reset");
    }
    AsyncMultiAgentEnvironment async = (AsyncMultiAgentEnvironment) env;
    return fromStage(() -> async.reset(task, seed), "reset");
  }

  Future<MatchStep> stepMatch(Map<String, Message> moves) {
    if (env instanceof MultiAgentEnvironment sync) {
      return call(() -> sync.step(moves), "step");
    }
    AsyncMultiAgentEnvironment async = (AsyncMultiAgentEnvironment) env;
    return fromStage(() -> async.step(moves), "step");
  }

  void close() {
    if (blocking) {
      context.executeBlocking(() -> {
        env.close();
        return null;
      }, false);
    } else {
      try {
        env.close();
      } catch (Exception ignored) {
        // closing is best effort; the episode's outcome is already decided
      }
    }
  }

  private <T> Future<T> call(Callable<T> body, String what) {
    if (blocking) {
      return context.executeBlocking(() -> nonNull(body.call(), what), false);
    }
    try {
      return Future.succeededFuture(nonNull(body.call(), what));
    } catch (Throwable t) {
      return Future.failedFuture(t);
    }
  }

  private <T> Future<T> fromStage(Supplier<CompletionStage<T>> body, String what) {
    try {
      CompletionStage<T> stage = Objects.requireNonNull(body.get(), what + " returned a null stage");
      return Stages.onContext(stage, context).map(v -> nonNull(v, what));
    } catch (Throwable t) {
      return Future.failedFuture(t);
    }
  }

  private static <T> T nonNull(T value, String what) {
    if (value == null) {
      throw new IllegalStateException("the environment's " + what + " returned null");
    }
    return value;
  }
}
