package dev.ludus.api;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * A conformance check that any user runs on their own environment, like Gymnasium's {@code check_env}.
 *
 * <p>It plays episodes with the environment's random agent and a few malformed actions and checks the
 * contract: reset gives an observation; step before reset and step after the end are refused; the same
 * task, seed and actions give the same trace (also after a second reset of the same instance); malformed
 * actions are answered, not thrown; every signal is declared; no secret signal's value appears in the
 * agent's observation before the episode ends; episodes end; close is idempotent. The random agent is asked as the
 * runtime would ask it: with the task {@link Task#withheld() withheld}.
 *
 * <p>A multi-agent environment ({@link BoundEnvironment#multiAgent()}) is checked for the same contract, seat by
 * seat, with the random agent in every seat, and for what seats add: every seat to move first gets an opening; a
 * malformed move is answered to its seat; and no seat sees another seat's secrets, that is the values of the secret
 * signals published for another seat and another seat's {@link SeatStart#privateInfo private information}, neither in
 * its observations before the match ends nor in the requests the runtime would build for it (the conversation and the
 * task fields a privileged agent would get). A text that a move has already said, or that the seat holds as its own
 * secret of the same kind (both seats dealt the same values), does not count.
 *
 * <p>Usage: {@code EnvChecker.check(provider.bind(config)).assertPassed();}. It blocks while it waits on
 * asynchronous environments: call it from tests or the CLI, never from an event loop. An environment that
 * takes the {@link PluginContext} gets the one it is bound with, or a standalone one the check owns.
 */
public final class EnvChecker {
  /** The outcome of one check. */
  public record Check(String name, boolean passed, String detail) {}

  /** All checks for one environment. */
  public record Report(String environment, List<Check> checks) {
    public boolean passed() {
      return checks.stream().allMatch(Check::passed);
    }

    /** Throws an {@link AssertionError} listing every failed check. */
    public Report assertPassed() {
      if (!passed()) {
        StringBuilder sb = new StringBuilder("environment '" + environment + "' fails its contract:");
        for (Check c : checks) {
          if (!c.passed()) {
            sb.append("\n  - ").append(c.name()).append(": ").append(c.detail());
          }
        }
        throw new AssertionError(sb.toString());
      }
      return this;
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder();
      for (Check c : checks) {
        sb.append(c.passed() ? "PASS " : "FAIL ").append(c.name());
        if (!c.detail().isEmpty()) {
          sb.append(" — ").append(c.detail());
        }
        sb.append('\n');
      }
      return sb.toString();
    }
  }

  /** Options: how many seeds to try and the most steps per episode before it counts as never ending. */
  public record Options(int seeds, int maxSteps, long stepTimeoutMillis) {
    public Options {
      if (seeds < 1) {
        throw new IllegalArgumentException("seeds must be >= 1, was " + seeds);
      }
      if (maxSteps < 1) {
        throw new IllegalArgumentException("maxSteps must be >= 1, was " + maxSteps);
      }
    }

    public static Options defaults() {
      return new Options(5, 2_000, 10_000);
    }
  }

  static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");

  private final BoundEnvironment env;
  private final Options options;
  private final List<Check> checks = new ArrayList<>();

  private EnvChecker(BoundEnvironment env, Options options) {
    this.env = env;
    this.options = options;
  }

  public static Report check(BoundEnvironment env) {
    return check(env, Options.defaults());
  }

  /**
   * Checks {@code env} with {@code options}. An environment bound without a {@link PluginContext} is checked
   * with a {@link PluginContext#standalone() standalone} one that the check owns and closes when it ends.
   */
  public static Report check(BoundEnvironment env, Options options) {
    Objects.requireNonNull(env);
    Objects.requireNonNull(options);
    if (!env.hasContext()) {
      try (PluginContext.Owned context = PluginContext.standalone()) {
        return check(env.withContext(context), options);
      }
    }
    if (env.multiAgent()) {
      return new Report(env.name(), new MatchChecker(env, options).run());
    }
    EnvChecker checker = new EnvChecker(env, options);
    checker.run();
    return new Report(env.name(), List.copyOf(checker.checks));
  }

  private void run() {
    attempt("reset gives an observation", this::resetGivesObservation);
    attempt("step before reset is refused", this::stepBeforeResetRefused);
    attempt("same seed and actions give the same trace", this::deterministic);
    attempt("reset starts over", this::resetStartsOver);
    attempt("malformed actions are answered, not thrown", this::malformedActionsAnswered);
    attempt("episodes end and step after the end is refused", this::episodesEnd);
    attempt("signals are declared and secrets stay hidden", this::signalsDeclaredAndHidden);
    attempt("close is idempotent", this::closeIdempotent);
  }

  private interface Body {
    String run() throws Exception;
  }

  private void attempt(String name, Body body) {
    try {
      checks.add(new Check(name, true, body.run()));
    } catch (CheckFailed e) {
      checks.add(new Check(name, false, e.getMessage()));
    } catch (Exception | AssertionError e) {
      Throwable t = unwrap(e);
      checks.add(new Check(name, false, "threw " + t.getClass().getSimpleName() + ": " + t.getMessage()));
    }
  }

  private static final class CheckFailed extends Exception {
    CheckFailed(String message) {
      super(message);
    }
  }

  // ---- the checks ----

  private String resetGivesObservation() throws Exception {
    for (int s = 0; s < options.seeds(); s++) {
      try (AnyEnvironment e = env.create()) {
        Reset r = reset(e, task(s), s);
        if (r.observation().isEmpty()) {
          throw new CheckFailed("reset with seed " + s + " gave no messages");
        }
        for (Message m : r.observation()) {
          if (m.role() == Role.ASSISTANT) {
            throw new CheckFailed("reset's observation contains an assistant message; the agent speaks for itself");
          }
        }
      }
    }
    return "";
  }

  private String stepBeforeResetRefused() throws Exception {
    try (AnyEnvironment e = env.create()) {
      try {
        step(e, Message.assistant("hello"));
      } catch (IllegalStateException expected) {
        return "";
      }
      throw new CheckFailed("step before reset should throw IllegalStateException but returned a result");
    }
  }

  private String deterministic() throws Exception {
    for (int s = 0; s < options.seeds(); s++) {
      Trace a = play(task(s), s, null);
      Trace b = play(task(s), s, a.actions);
      if (!a.equals(b)) {
        throw new CheckFailed("seed " + s + ": two runs with the same task, seed and actions differ at step "
            + a.firstDifference(b));
      }
    }
    return options.seeds() + " seeds";
  }

  private String resetStartsOver() throws Exception {
    try (AnyEnvironment e = env.create()) {
      Trace first = play(e, task(0), 0, null);
      Trace second = play(e, task(0), 0, first.actions);
      if (!first.equals(second)) {
        throw new CheckFailed("a second reset of the same instance replays differently at step "
            + first.firstDifference(second));
      }
    }
    return "";
  }

  private String malformedActionsAnswered() throws Exception {
    List<Message> bad = List.of(
        Message.assistant(""),
        Message.assistant("%%% ??? not an action at all"),
        Message.assistant("x".repeat(10_000)),
        Message.assistant("", List.of(ToolCall.of("call-0", "no_such_tool", "{not json"))));
    boolean declaresInvalid = env.signals().contains(StandardSignals.INVALID_ACTION);
    int flagged = 0;
    for (Message m : bad) {
      try (AnyEnvironment e = env.create()) {
        reset(e, task(0), 0);
        StepResult r = step(e, m);
        if (r.observation().isEmpty() && !r.done()) {
          throw new CheckFailed("a malformed action got no message back and the episode goes on");
        }
        if (r.signals().has(StandardSignals.INVALID_ACTION)) {
          flagged++;
        }
      }
    }
    if (declaresInvalid && flagged == 0) {
      throw new CheckFailed("declares the invalid-action signal but set it for none of " + bad.size()
          + " malformed actions");
    }
    return flagged + " of " + bad.size() + " flagged invalid";
  }

  private String episodesEnd() throws Exception {
    for (int s = 0; s < options.seeds(); s++) {
      try (AnyEnvironment e = env.create()) {
        Trace t = play(e, task(s), s, null);
        if (!t.ended) {
          throw new CheckFailed("seed " + s + ": no end after " + options.maxSteps() + " random steps");
        }
        try {
          step(e, Message.assistant("one more"));
        } catch (IllegalStateException expected) {
          continue;
        }
        throw new CheckFailed("seed " + s + ": step after the episode ended should throw IllegalStateException");
      }
    }
    return "";
  }

  private String signalsDeclaredAndHidden() throws Exception {
    Set<String> declared = new HashSet<>();
    List<SignalKey<?>> secrets = new ArrayList<>();
    for (SignalKey<?> k : env.signals()) {
      declared.add(k.name());
      if (k.secret()) {
        secrets.add(k);
      }
    }
    int secretValuesChecked = 0;
    for (int s = 0; s < options.seeds(); s++) {
      Trace t = play(task(s), s, null);
      List<Signals> all = new ArrayList<>();
      all.add(t.reset.signals());
      t.steps.forEach(r -> all.add(r.signals()));
      for (Signals sig : all) {
        for (String name : sig.names()) {
          if (!declared.contains(name)) {
            throw new CheckFailed("publishes signal '" + name + "' that signals() does not declare; declared: "
                + declared);
          }
        }
      }
      for (SignalKey<?> key : secrets) {
        for (int i = 0; i < all.size(); i++) {
          Object v = all.get(i).asMap().get(key.name());
          String text = v == null ? "" : String.valueOf(v);
          if (text.length() < 3 || NUMBER.matcher(text).matches()) {
            continue; // too short or numeric: would match by accident
          }
          secretValuesChecked++;
          List<Message> seen = new ArrayList<>(t.reset.observation());
          for (int j = 0; j < t.steps.size(); j++) {
            StepResult r = t.steps.get(j);
            boolean echo = t.actions.get(j).content().toLowerCase().contains(text.toLowerCase());
            if (!r.done() && !echo) {
              seen.addAll(r.observation());
            }
          }
          for (Message m : seen) {
            if (m.content().toLowerCase().contains(text.toLowerCase())) {
              throw new CheckFailed("secret signal '" + key.name() + "' = '" + text
                  + "' appears in the agent's observation before the episode ended");
            }
          }
        }
      }
    }
    return declared.size() + " declared, " + secretValuesChecked + " secret values checked";
  }

  private String closeIdempotent() throws Exception {
    AnyEnvironment e = env.create();
    reset(e, task(0), 0);
    e.close();
    e.close();
    AnyEnvironment fresh = env.create();
    fresh.close();
    fresh.close();
    return "";
  }

  // ---- playing ----

  private Task task(int i) {
    return env.tasks().task(i, 0x5eedL);
  }

  private final class Trace {
    Reset reset;
    final List<Message> actions = new ArrayList<>();
    final List<StepResult> steps = new ArrayList<>();
    boolean ended;

    @Override
    public boolean equals(Object o) {
      return o instanceof Trace t && reset.equals(t.reset) && steps.equals(t.steps);
    }

    @Override
    public int hashCode() {
      return Objects.hash(reset, steps);
    }

    String firstDifference(Trace other) {
      if (!reset.equals(other.reset)) {
        return "reset";
      }
      for (int i = 0; i < Math.min(steps.size(), other.steps.size()); i++) {
        if (!steps.get(i).equals(other.steps.get(i))) {
          return i + ": " + steps.get(i) + " vs " + other.steps.get(i);
        }
      }
      return "end (" + steps.size() + " vs " + other.steps.size() + " steps)";
    }
  }

  private Trace play(Task task, long seed, List<Message> replay) throws Exception {
    try (AnyEnvironment e = env.create()) {
      return play(e, task, seed, replay);
    }
  }

  /** Plays with the random agent, or replays {@code replay}'s actions when given. */
  private Trace play(AnyEnvironment e, Task task, long seed, List<Message> replay) throws Exception {
    Trace t = new Trace();
    t.reset = reset(e, task, seed);
    List<Message> conversation = new ArrayList<>(t.reset.observation());
    try (Agent random = env.randomAgent()) {
      for (int turn = 0; turn < options.maxSteps(); turn++) {
        Message action;
        if (replay != null) {
          if (turn >= replay.size()) {
            break;
          }
          action = replay.get(turn);
        } else {
          AgentResponse resp = await(random.act(
              new AgentRequest("check-" + seed, task.visibleTo(random), seed, turn, conversation, t.reset.tools())));
          if (!(resp instanceof AgentResponse.Reply reply)) {
            throw new CheckFailed("the random agent failed: " + ((AgentResponse.Failure) resp).reason());
          }
          action = reply.message();
        }
        StepResult r = step(e, action);
        t.actions.add(action);
        t.steps.add(r);
        conversation.add(action);
        conversation.addAll(r.observation());
        if (r.done()) {
          t.ended = true;
          break;
        }
      }
    }
    return t;
  }

  private Reset reset(AnyEnvironment e, Task task, long seed) throws Exception {
    if (e instanceof Environment sync) {
      return Objects.requireNonNull(sync.reset(task, seed), "reset returned null");
    }
    return Objects.requireNonNull(await(((AsyncEnvironment) e).reset(task, seed)), "reset completed with null");
  }

  private StepResult step(AnyEnvironment e, Message action) throws Exception {
    if (e instanceof Environment sync) {
      return Objects.requireNonNull(sync.step(action), "step returned null");
    }
    return Objects.requireNonNull(await(((AsyncEnvironment) e).step(action)), "step completed with null");
  }

  private <T> T await(CompletionStage<T> stage) throws Exception {
    CompletableFuture<T> f = stage.toCompletableFuture();
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
