package dev.ludus.api;

import dev.ludus.api.EnvChecker.Options;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@link EnvChecker}'s checks of a single-agent environment: it plays episodes with the environment's random agent,
 * asked as the runtime asks it (the task withheld), and replays their actions. Blocks while it waits; not thread-safe;
 * one use.
 */
final class EpisodeChecker extends CheckRun<AnyEnvironment, EpisodeChecker.Trace> {
  EpisodeChecker(BoundEnvironment env, Options options) {
    super(env, options, "episode", "actions");
  }

  @Override
  void checkAll() {
    attempt("reset gives an observation", this::resetGivesObservation);
    attempt("step before reset is refused", this::stepBeforeResetRefused);
    attempt("same seed and actions give the same trace", this::deterministic);
    attempt("reset starts over", this::resetStartsOver);
    attempt("malformed actions are answered, not thrown", this::malformedActionsAnswered);
    attempt("episodes end and step after the end is refused", this::runsEnd);
    attempt("signals are declared and secrets stay hidden", this::signalsDeclaredAndHidden);
    attempt("close is idempotent", this::closeIdempotent);
  }

  // ---- the checks of an episode ----

  private String resetGivesObservation() throws Exception {
    for (int s = 0; s < options.seeds(); s++) {
      try (AnyEnvironment e = create()) {
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

  private String malformedActionsAnswered() throws Exception {
    List<Message> bad = malformed("an action");
    int flagged = 0;
    for (Message m : bad) {
      try (AnyEnvironment e = create()) {
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
    return flaggedInvalid(flagged, bad.size());
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
          if (tooPlainToTrace(text)) {
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

  // ---- playing ----

  static final class Trace implements CheckRun.Trace<Trace> {
    Reset reset;
    final List<Message> actions = new ArrayList<>();
    final List<StepResult> steps = new ArrayList<>();
    boolean ended;

    @Override
    public boolean sameAs(Trace t) {
      return reset.equals(t.reset) && steps.equals(t.steps);
    }

    @Override
    public boolean ended() {
      return ended;
    }

    @Override
    public String firstDifference(Trace other) {
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

  @Override
  Trace play(AnyEnvironment e, Task task, long seed, Trace replayed) throws Exception {
    List<Message> replay = replayed == null ? null : replayed.actions;
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

  @Override
  AnyEnvironment create() {
    return env.create();
  }

  @Override
  Reset reset(AnyEnvironment e, Task task, long seed) throws Exception {
    if (e instanceof Environment sync) {
      return Objects.requireNonNull(sync.reset(task, seed), "reset returned null");
    }
    return Objects.requireNonNull(await(((AsyncEnvironment) e).reset(task, seed)), "reset completed with null");
  }

  @Override
  StepResult stepWith(AnyEnvironment e, Message action) throws Exception {
    return step(e, action);
  }

  private StepResult step(AnyEnvironment e, Message action) throws Exception {
    if (e instanceof Environment sync) {
      return Objects.requireNonNull(sync.step(action), "step returned null");
    }
    return Objects.requireNonNull(await(((AsyncEnvironment) e).step(action)), "step completed with null");
  }
}
