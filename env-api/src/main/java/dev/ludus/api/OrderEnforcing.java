package dev.ludus.api;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Wraps every environment that {@link BoundEnvironment#create()} makes so that the life-cycle is enforced
 * once, here, instead of in every environment: {@code step} before {@code reset}, or after a step that
 * ended the episode, is refused with an {@link IllegalStateException} (a failed stage for asynchronous
 * environments), and {@code close} runs the environment's close at most once. Like Gymnasium's
 * {@code OrderEnforcing} wrapper. A multi-agent environment's wrapper also holds it to its seats: a step must
 * carry a move from each seat to move and from no other ({@link IllegalArgumentException}), and an answer must
 * give every declared seat an opening and name no other seat ({@link IllegalStateException}). Not thread-safe,
 * like the environments it wraps.
 */
final class OrderEnforcing {
  private OrderEnforcing() {}

  static AnyEnvironment wrap(AnyEnvironment env, String name, List<String> seats) {
    if (env == null || env instanceof Sync || env instanceof Async || env instanceof SyncMatch
        || env instanceof AsyncMatch) {
      return env;
    }
    if (env instanceof AnyMultiAgentEnvironment multi) {
      if (seats.isEmpty()) {
        throw new IllegalStateException("environment '" + name + "' created a multi-agent instance, but its provider "
            + "is not a MultiAgentEnvironmentProvider declaring its seats");
      }
      Seats rules = new Seats(name, seats);
      return multi instanceof MultiAgentEnvironment sync ? new SyncMatch(sync, rules)
          : new AsyncMatch((AsyncMultiAgentEnvironment) multi, rules);
    }
    if (!seats.isEmpty()) {
      throw new IllegalStateException("multi-agent environment '" + name + "' created a single-agent instance ("
          + env.getClass().getName() + "); a MultiAgentEnvironmentProvider creates MultiAgentEnvironment or "
          + "AsyncMultiAgentEnvironment instances");
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

  /** The seat rules of one multi-agent environment. */
  private record Seats(String name, List<String> all) {
    void checkMoves(Set<String> toMove, Map<String, Message> moves) {
      if (moves == null || !moves.keySet().equals(toMove)) {
        throw new IllegalArgumentException("environment '" + name + "' expects moves from " + sorted(toMove)
            + ", got moves from " + (moves == null ? "nobody" : sorted(moves.keySet())));
      }
      for (Map.Entry<String, Message> m : moves.entrySet()) {
        if (m.getValue() == null) {
          throw new IllegalArgumentException("seat '" + m.getKey() + "' moved null");
        }
      }
    }

    MatchStart checked(MatchStart start) {
      if (start == null) {
        throw new IllegalStateException("environment '" + name + "': reset returned null");
      }
      if (!start.seats().keySet().equals(Set.copyOf(all))) {
        throw new IllegalStateException("environment '" + name + "': reset must give an opening to each seat "
            + all + ", gave " + sorted(start.seats().keySet()));
      }
      checkNames("reset's next", start.next());
      return start;
    }

    MatchStep checked(MatchStep step) {
      if (step == null) {
        throw new IllegalStateException("environment '" + name + "': step returned null");
      }
      checkNames("step's seats", step.seats().keySet());
      checkNames("step's next", step.next());
      return step;
    }

    private void checkNames(String what, Set<String> names) {
      for (String n : names) {
        if (!all.contains(n)) {
          throw new IllegalStateException("environment '" + name + "': " + what + " names seat '" + n
              + "', which it does not declare; its seats: " + all);
        }
      }
    }

    private static List<String> sorted(Set<String> names) {
      return names.stream().sorted().toList();
    }
  }

  private static final class SyncMatch implements MultiAgentEnvironment {
    private final MultiAgentEnvironment env;
    private final Seats seats;
    private Phase phase = Phase.NEW;
    private Set<String> toMove = Set.of();

    SyncMatch(MultiAgentEnvironment env, Seats seats) {
      this.env = env;
      this.seats = seats;
    }

    @Override
    public MatchStart reset(Task task, long seed) {
      if (phase == Phase.CLOSED) {
        throw new IllegalStateException("reset after close");
      }
      MatchStart r = seats.checked(env.reset(task, seed));
      toMove = r.next();
      phase = Phase.RUNNING;
      return r;
    }

    @Override
    public MatchStep step(Map<String, Message> moves) {
      if (phase != Phase.RUNNING) {
        throw new IllegalStateException(refusal(phase));
      }
      seats.checkMoves(toMove, moves);
      MatchStep r = seats.checked(env.step(moves));
      toMove = r.next();
      if (r.done()) {
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

  private static final class AsyncMatch implements AsyncMultiAgentEnvironment {
    private final AsyncMultiAgentEnvironment env;
    private final Seats seats;
    private volatile Phase phase = Phase.NEW;
    private volatile Set<String> toMove = Set.of();

    AsyncMatch(AsyncMultiAgentEnvironment env, Seats seats) {
      this.env = env;
      this.seats = seats;
    }

    @Override
    public CompletionStage<MatchStart> reset(Task task, long seed) {
      if (phase == Phase.CLOSED) {
        return CompletableFuture.failedFuture(new IllegalStateException("reset after close"));
      }
      return env.reset(task, seed).thenApply(r -> {
        MatchStart checked = seats.checked(r);
        toMove = checked.next();
        phase = Phase.RUNNING;
        return checked;
      });
    }

    @Override
    public CompletionStage<MatchStep> step(Map<String, Message> moves) {
      if (phase != Phase.RUNNING) {
        return CompletableFuture.failedFuture(new IllegalStateException(refusal(phase)));
      }
      try {
        seats.checkMoves(toMove, moves);
      } catch (IllegalArgumentException e) {
        return CompletableFuture.failedFuture(e);
      }
      return env.step(moves).thenApply(r -> {
        MatchStep checked = seats.checked(r);
        toMove = checked.next();
        if (checked.done()) {
          phase = Phase.DONE;
        }
        return checked;
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
