package dev.ludus.runner.runtime;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** Turns completion stages into Vert.x futures on a context, under a time limit. Stateless. */
final class Stages {
  private Stages() {}

  /**
   * {@code stage} as a future on {@code context} that fails with a time-out after {@code millis}. A stage
   * that is already complete (a rule-based agent, a synchronous simulator) is taken as it is: no hop
   * through the event loop's queue and no timer.
   */
  static <T> Future<T> within(CompletionStage<T> stage, Context context, long millis) {
    return within(onContext(stage, context), millis);
  }

  /**
   * {@code stage} as a future whose callbacks run on {@code context}; a stage that is already complete is
   * taken as it is, without a hop through the event loop's queue.
   */
  static <T> Future<T> onContext(CompletionStage<T> stage, Context context) {
    if (stage instanceof CompletableFuture<T> cf && cf.isDone()) {
      try {
        return Future.succeededFuture(cf.join());
      } catch (CompletionException e) {
        return Future.failedFuture(e.getCause() != null ? e.getCause() : e);
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    }
    return Future.fromCompletionStage(stage, context);
  }

  /** {@code future} under a time limit, unless it is already complete. */
  static <T> Future<T> within(Future<T> future, long millis) {
    return future.isComplete() ? future : future.timeout(millis, TimeUnit.MILLISECONDS);
  }
}
