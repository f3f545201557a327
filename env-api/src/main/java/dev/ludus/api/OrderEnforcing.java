package dev.ludus.api;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Wraps every environment that {@link BoundEnvironment#create()} makes so that the life-cycle is enforced
 * once, here, instead of in every environment: {@code step} before {@code reset}, or after a step that
 * ended the episode, is refused with an {@link IllegalStateException} (a failed stage for asynchronous
 * environments), and {@code close} runs the environment's close at most once. Like Gymnasium's
 * {@code OrderEnforcing} wrapper. Not thread-safe, like the environments it wraps.
 */
final class OrderEnforcing {
  private OrderEnforcing() {}

  static AnyEnvironment wrap(AnyEnvironment env) {
    if (env == null || env instanceof Sync || env instanceof Async) {
      return env;
    }
    return env instanceof Environment sync ? new Sync(sync) : new Async((AsyncEnvironment) env);
  }

  private enum Phase { NEW, RUNNING, DONE, CLOSED }

  private static String refusal(Phase phase) {
    return switch (phase) {
      case NEW -> "step before reset: call reset(task, seed) first";
      case DONE -> "step after the episode ended: call reset(task, seed) to start another";
      case CLOSED -> "step after close";
      case RUNNING -> "";
    };
  }

  private static final class Sync implements Environment {
    private final Environment env;
    private Phase phase = Phase.NEW;

    Sync(Environment env) {
      this.env = env;
    }

    @Override
    public Reset reset(Task task, long seed) {
      if (phase == Phase.CLOSED) {
        throw new IllegalStateException("reset after close");
      }
      Reset r = env.reset(task, seed);
      phase = Phase.RUNNING;
      return r;
    }

    @Override
    public StepResult step(Message action) {
      if (phase != Phase.RUNNING) {
        throw new IllegalStateException(refusal(phase));
      }
      StepResult r = env.step(action);
      if (r != null && r.done()) {
        phase = Phase.DONE;
      }
      return r;
    }

    @Override
    public void close() {
      if (phase != Phase.CLOSED) {
        phase = Phase.CLOSED;
        env.close();
      }
    }
  }

  private static final class Async implements AsyncEnvironment {
    private final AsyncEnvironment env;
    private volatile Phase phase = Phase.NEW;

    Async(AsyncEnvironment env) {
      this.env = env;
    }

    @Override
    public CompletionStage<Reset> reset(Task task, long seed) {
      if (phase == Phase.CLOSED) {
        return CompletableFuture.failedFuture(new IllegalStateException("reset after close"));
      }
      return env.reset(task, seed).thenApply(r -> {
        phase = Phase.RUNNING;
        return r;
      });
    }

    @Override
    public CompletionStage<StepResult> step(Message action) {
      if (phase != Phase.RUNNING) {
        return CompletableFuture.failedFuture(new IllegalStateException(refusal(phase)));
      }
      return env.step(action).thenApply(r -> {
        if (r != null && r.done()) {
          phase = Phase.DONE;
        }
        return r;
      });
    }

    @Override
    public void close() {
      if (phase != Phase.CLOSED) {
        phase = Phase.CLOSED;
        env.close();
      }
    }
  }
}
