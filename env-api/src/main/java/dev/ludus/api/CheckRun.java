package dev.ludus.api;

import dev.ludus.api.EnvChecker.Check;
import dev.ludus.api.EnvChecker.Options;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * The skeleton of one {@link EnvChecker} run, shared by the single-agent checks ({@link EpisodeChecker}) and the
 * multi-agent ones ({@link MatchChecker}): recording checks, waiting on stages, and the checks whose logic is the same
 * for an episode and a match (step before reset is refused, the same seed and actions replay the same trace, a second
 * reset starts over, runs end and a step after the end is refused, close is idempotent, and how malformed actions are
 * counted). A subclass says how to create, reset, step and play its kind of environment. Blocks while it waits; not
 * thread-safe; one use.
 *
 * @param <E> the environment type
 * @param <T> the trace of one played run
 */
abstract class CheckRun<E extends AnyEnvironment, T extends CheckRun.Trace<T>> {
  /** One played episode or match, as the shared checks compare them. */
  interface Trace<T> {
    /** Whether {@code other} played the same: the same start, steps (and error). */
    boolean sameAs(T other);

    /** Where {@code other} first differs, for a message. */
    String firstDifference(T other);

    /** Whether the run ended by itself (not cut at the most steps). */
    boolean ended();
  }

  /** A check's failure, with its message. */
  static final class CheckFailed extends Exception {
    private static final long serialVersionUID = 1L;

    CheckFailed(String message) {
      super(message);
    }
  }

  interface Body {
    String run() throws Exception;
  }

  /**
   * Actions no environment can act on: empty, gibberish, very long, and a call of a tool that does not exist with
   * arguments that are not JSON; {@code what} names them in the gibberish ("an action", "a move").
   */
  static List<Message> malformed(String what) {
    return List.of(
        Message.assistant(""),
        Message.assistant("%%% ??? not " + what + " at all"),
        Message.assistant("x".repeat(10_000)),
        Message.assistant("", List.of(ToolCall.of("call-0", "no_such_tool", "{not json"))));
  }

  private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");

  /**
   * Whether a secret's {@code text} is too plain to look for in what an agent sees (shorter than 3 characters, or a
   * number): it would be found there by accident.
   */
  static boolean tooPlainToTrace(String text) {
    return text.length() < 3 || NUMBER.matcher(text).matches();
  }

  final BoundEnvironment env;
  final Options options;
  private final List<Check> checks = new ArrayList<>();
  /** What one run is called in messages: "episode", "match". */
  private final String run;
  /** What an agent's output is called in messages: "actions", "moves". */
  private final String actions;

  CheckRun(BoundEnvironment env, Options options, String run, String actions) {
    this.env = env;
    this.options = options;
    this.run = run;
    this.actions = actions;
  }

  /** Runs every check, in order; each records its outcome. */
  abstract void checkAll();

  /** The outcome of every check. */
  final List<Check> run() {
    checkAll();
    return List.copyOf(checks);
  }

  abstract E create();

  /** Resets {@code e}; returns what the environment answered. */
  abstract Object reset(E e, Task task, long seed) throws Exception;

  /** Steps {@code e} with {@code action} from the first (or only) seat; returns what the environment answered. */
  abstract Object stepWith(E e, Message action) throws Exception;

  /** Plays with the random agent, or replays {@code replay}'s actions when given. */
  abstract T play(E e, Task task, long seed, T replay) throws Exception;

  final void attempt(String name, Body body) {
    try {
      checks.add(new Check(name, true, body.run()));
    } catch (CheckFailed e) {
      checks.add(new Check(name, false, e.getMessage()));
    } catch (Exception | AssertionError e) {
      Throwable t = unwrap(e);
      checks.add(new Check(name, false, "threw " + t.getClass().getSimpleName() + ": " + t.getMessage()));
    }
  }

  // ---- the shared checks ----

  final String stepBeforeResetRefused() throws Exception {
    try (E e = create()) {
      try {
        stepWith(e, Message.assistant("hello"));
      } catch (IllegalStateException expected) {
        return "";
      }
      throw new CheckFailed("step before reset should throw IllegalStateException but returned a result");
    }
  }

  final String deterministic() throws Exception {
    for (int s = 0; s < options.seeds(); s++) {
      T a = play(task(s), s, null);
      T b = play(task(s), s, a);
      if (!a.sameAs(b)) {
        throw new CheckFailed("seed " + s + ": two " + (run.equals("episode") ? "runs" : run + "es") + " with the same "
            + "task, seed and " + actions + " differ at step " + a.firstDifference(b));
      }
    }
    return options.seeds() + " seeds";
  }

  final String resetStartsOver() throws Exception {
    try (E e = create()) {
      T first = play(e, task(0), 0, null);
      T second = play(e, task(0), 0, first);
      if (!first.sameAs(second)) {
        throw new CheckFailed("a second reset of the same instance replays differently at step "
            + first.firstDifference(second));
      }
    }
    return "";
  }

  /** Every run ends within the most steps, and a step after its end is refused. */
  final String runsEnd() throws Exception {
    for (int s = 0; s < options.seeds(); s++) {
      try (E e = create()) {
        T t = play(e, task(s), s, null);
        if (!t.ended()) {
          throw new CheckFailed("seed " + s + ": no end after " + options.maxSteps() + " random steps");
        }
        try {
          stepWith(e, Message.assistant("one more"));
        } catch (IllegalStateException expected) {
          continue;
        }
        throw new CheckFailed("seed " + s + ": step after the " + run + " ended should throw IllegalStateException");
      }
    }
    return "";
  }

  /** The outcome of the malformed-actions check once {@code flagged} of {@code tried} were flagged invalid. */
  final String flaggedInvalid(int flagged, int tried) throws CheckFailed {
    if (env.signals().contains(StandardSignals.INVALID_ACTION) && flagged == 0) {
      throw new CheckFailed("declares the invalid-action signal but set it for none of " + tried + " malformed "
          + actions);
    }
    return flagged + " of " + tried + " flagged invalid";
  }

  final String closeIdempotent() throws Exception {
    E e = create();
    reset(e, task(0), 0);
    e.close();
    e.close();
    E fresh = create();
    fresh.close();
    fresh.close();
    return "";
  }

  // ---- playing ----

  final Task task(int i) {
    return env.tasks().task(i, 0x5eedL);
  }

  final T play(Task task, long seed, T replay) throws Exception {
    try (E e = create()) {
      return play(e, task, seed, replay);
    }
  }

  final <R> R await(CompletionStage<R> stage) throws Exception {
    CompletableFuture<R> f = stage.toCompletableFuture();
    try {
      return f.get(options.stepTimeoutMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException ex) {
      Throwable cause = unwrap(ex);
      if (cause instanceof Exception c) {
        throw c;
      }
      throw ex;
    } catch (TimeoutException ex) {
      throw new CheckFailed("a stage did not complete within " + options.stepTimeoutMillis() + " ms");
    }
  }

  static Throwable unwrap(Throwable t) {
    while ((t instanceof ExecutionException || t instanceof java.util.concurrent.CompletionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
