package dev.ludus.api.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.ToolSpec;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * A tool made of a synchronous {@link Tool.Body}: run on the calling thread, or on an executor when it may
 * block. Immutable and thread-safe if the body is.
 *
 * <p>Design note: on an executor, the thread running the body is recorded under a lock so that a cancelled
 * call (the dispatcher cancels at the time limit) interrupts it while it runs and never after: the body's
 * interrupt flag is cleared under the same lock before the thread goes back to the executor.
 */
final class SyncTool implements Tool {
  private final ToolSpec spec;
  private final Executor executor;
  private final Tool.Body body;

  SyncTool(ToolSpec spec, Executor executor, Tool.Body body) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.executor = executor;
    this.body = Objects.requireNonNull(body, "body");
  }

  @Override
  public ToolSpec spec() {
    return spec;
  }

  @Override
  public CompletionStage<ToolResult> call(ObjectNode arguments) {
    if (executor == null) {
      return CompletableFuture.completedFuture(run(body, arguments));
    }
    Running running = new Running();
    running.result.whenComplete((r, e) -> running.interruptIfCancelled());
    try {
      executor.execute(() -> running.run(body, arguments));
    } catch (RuntimeException e) {
      running.result.complete(ToolResult.failure("the tool's executor refused the call: " + e));
    }
    return running.result;
  }

  @Override
  public String toString() {
    return "Tool[" + spec.name() + (executor == null ? "" : ", blocking") + "]";
  }

  /** One call on the executor: its result and the thread running it, if it is running. */
  private static final class Running {
    final CompletableFuture<ToolResult> result = new CompletableFuture<>();
    private Thread thread;

    void run(Tool.Body body, ObjectNode arguments) {
      synchronized (this) {
        if (result.isDone()) {
          return;
        }
        thread = Thread.currentThread();
      }
      try {
        result.complete(SyncTool.run(body, arguments));
      } finally {
        synchronized (this) {
          thread = null;
          Thread.interrupted(); // an interrupt meant for this call must not reach the executor's next task
        }
      }
    }

    synchronized void interruptIfCancelled() {
      if (result.isCancelled() && thread != null) {
        thread.interrupt();
      }
    }
  }

  static ToolResult run(Tool.Body body, ObjectNode arguments) {
    try {
      String content = body.apply(arguments);
      return content == null ? ToolResult.failure("the tool returned no content") : ToolResult.success(content);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      String message = e.getMessage();
      return ToolResult.failure(message == null || message.isBlank() ? e.getClass().getSimpleName() : message);
    }
  }

  /** A tool with another time limit. */
  record Limited(Tool tool, Duration timeLimit) implements Tool {
    Limited {
      Objects.requireNonNull(tool, "tool");
      Objects.requireNonNull(timeLimit, "timeLimit");
      if (timeLimit.isNegative() || timeLimit.isZero()) {
        throw new IllegalArgumentException("a tool's time limit must be positive, was " + timeLimit);
      }
    }

    @Override
    public ToolSpec spec() {
      return tool.spec();
    }

    @Override
    public CompletionStage<ToolResult> call(ObjectNode arguments) {
      return tool.call(arguments);
    }
  }
}
