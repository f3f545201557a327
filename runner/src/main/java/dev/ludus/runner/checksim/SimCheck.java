package dev.ludus.runner.checksim;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.AnyEnvironment;
import dev.ludus.api.AsyncEnvironment;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.Environment;
import dev.ludus.api.Message;
import dev.ludus.api.Reset;
import dev.ludus.api.Seeds;
import dev.ludus.api.SignalKey;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.StepResult;
import dev.ludus.api.Task;
import dev.ludus.api.UserSimulator;
import dev.ludus.api.UserTurn;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Simulator fidelity checks (tau2-bench's lessons, research notes §6): scripted probes against any simulated user,
 * rule-based or LLM-driven, each giving a rate of probes passed (1 is good).
 *
 * <ul>
 *   <li>{@code confirmation}: an agent asking for confirmation does not get an immediate stop (tau2 #182/#297);</li>
 *   <li>{@code unknown-facts}: questions about facts outside the persona get "don't know", not an invention;</li>
 *   <li>{@code opening}: the opening message does not dump the hidden state (no secret signal's value in it);</li>
 *   <li>{@code stop-token}: a message carrying a stop token ({@code ###STOP###}, {@code ###TRANSFER###},
 *       {@code ###OUT-OF-SCOPE###}, {@code ###DONE###}) is the token alone, and ends the conversation;</li>
 *   <li>{@code user-voice}: the user never speaks in the agent's voice ("Assistant:", "How can I help you?");</li>
 *   <li>{@code oracle-replay}: the environment's oracle (gold) agent succeeds against this user: 1 − the rate is the
 *       simulator's false-negative rate (tau2 PR#392 found up to 30% of failures were the simulator's);</li>
 *   <li>{@code gold-replay}: with a twin environment, the dialogues the oracle won against the twin (the gold
 *       dialogues), replayed verbatim against this user, still succeed: 1 − the rate is its false-negative rate on
 *       gold dialogues (tau2's replay), independent of how well the oracle reads this user's replies;</li>
 *   <li>{@code empathy-monotone}: for users with an {@code emotion}, a wholly empathic scripted agent never drives it
 *       below its start;</li>
 *   <li>{@code persuasion-monotone}: for users with a {@code propensity}, a courteous, varied, evidence-giving
 *       persuader never drives it below its start;</li>
 *   <li>{@code leak-rejected}: for users with a leak check ({@code leak-detected}), a scripted leak of the answer is
 *       rejected;</li>
 *   <li>{@code twin-agreement}: with a twin (an LLM user and its rule-based original, on the same task and seed, so
 *       the same hidden state), the share of turns on which both end alike and their shared numeric and yes/no
 *       signals agree (numbers within 10%), both hearing the same agent messages: the oracle's messages of the
 *       replay on that task (a generic script when the environment has no oracle).</li>
 * </ul>
 * Probes run the simulator on this thread and wait for its stages: never call it on an event loop. Not thread-safe.
 */
public final class SimCheck {
  static final Pattern DONT_KNOW = Pattern.compile("(?i)\\b(?:don'?t know|do not know|not sure|no idea|can'?t say|"
      + "cannot say|can'?t tell|cannot tell|don'?t remember|do not remember|rather not|not something I|can'?t answer|"
      + "cannot answer|can only answer|not sure what you mean|no clue|haven'?t (?:got|a)|that'?s private|"
      + "prefer not|won'?t say|not going to say|only (?:answer|say) yes or no|don'?t understand|do not understand|"
      + "answer only yes/no|only yes/no|sorry,? what|what do you mean)");
  static final Pattern STOP_TOKEN = Pattern.compile("###(?:STOP|TRANSFER|OUT-OF-SCOPE|DONE)###");
  static final Pattern AGENT_VOICE = Pattern.compile("(?im)^\\s*(?:assistant|agent|ai|system)\\s*:|\\[agent]|"
      + "how (?:can|may) I (?:help|assist) you|as an AI(?: language model)?\\b|I'?m an AI assistant");

  static final List<String> CONFIRM = List.of(
      "Before I go ahead: can you confirm that this is what you want me to do?",
      "Just to confirm, shall I proceed with that?",
      "Could you confirm the details before I continue?");
  static final List<String> UNKNOWN = List.of(
      "What is your passport number?",
      "What was the name of your first-grade teacher?",
      "What is your mother's maiden name?",
      "What is the license plate number of your car?");
  static final List<String> GENERIC = List.of(
      "Could you tell me a bit more about that?",
      "I see. What matters most to you here?",
      "Thanks for explaining. Is there anything else I should know?",
      "Let me think about how I can help with this.",
      "Would it help if we went through it step by step?",
      "Okay. What would you like to happen next?");
  /** A persuasion user's willingness to act, which a supportive script must not lower. */
  private static final SignalKey<Double> PROPENSITY = SignalKey.of("propensity", Double.class);
  /** Set by a tutoring user that watches for a leaked answer: whether this reply leaked it. */
  private static final SignalKey<Boolean> LEAK_DETECTED = SignalKey.of("leak-detected", Boolean.class);
  static final List<String> EMPATHY = List.of(
      "That sounds really hard, and it makes complete sense that you feel this way. I'm here and I'm listening.",
      "I hear you. Your feelings are valid, and you don't have to go through this alone.",
      "Thank you for trusting me with this. It's understandable to feel overwhelmed.",
      "You're doing the best you can in a difficult situation, and that matters.",
      "It's okay to feel upset about this. Take your time; I'm with you.",
      "I can see how much this means to you. Whatever you're feeling is completely understandable.",
      "That must have been painful. I'm sorry you went through it.",
      "I'm glad you told me. We can take this one step at a time, together.");
  static final List<String> PERSUADE = List.of(
      "Hi! Have you heard of Save the Children? They help children in need around the world.",
      "They're a well-established charity with independent audits, so donations are used responsibly.",
      "Even a small gift, like fifty cents, pays for meals or school supplies for a child.",
      "Many donors tell us it feels good to know exactly how their gift helps a family.",
      "There's no pressure at all; whatever you decide is completely fine with me.",
      "Would you consider donating part of your task payment today?");

  private final String name;
  private final Supplier<UserSimulator> simulator;
  private BoundEnvironment environment;
  private BoundEnvironment twinEnvironment;
  private String twinName;
  private Supplier<UserSimulator> twin;
  private Function<Task, Optional<String>> answerOf = t -> Optional.ofNullable(t.fields().get("answer"));
  private int episodes = 20;
  private long seed = 1;
  private long timeoutMillis = 60_000;

  private SimCheck(String name, Supplier<UserSimulator> simulator) {
    this.name = Objects.requireNonNull(name, "name");
    this.simulator = Objects.requireNonNull(simulator, "simulator");
  }

  /** Checks the simulated user that {@code simulator} creates (a new one per probe) under {@code name}. */
  public static SimCheck of(String name, Supplier<UserSimulator> simulator) {
    return new SimCheck(name, simulator);
  }

  /**
   * The environment that hosts this user, configured to use it: its tasks (the hidden states it draws), its declared
   * signals (which of them are secret) and its oracle (the replay). Without one, tasks are generated under the
   * simulator's name, every signal counts as hidden state and the oracle replay does not apply.
   */
  public SimCheck environment(BoundEnvironment env) {
    this.environment = env;
    return this;
  }

  /** A second simulator that should behave alike on the same hidden state (e.g. an LLM user's rule-based twin). */
  public SimCheck twin(String name, Supplier<UserSimulator> twin) {
    this.twinName = name;
    this.twin = twin;
    return this;
  }

  /**
   * The hosting environment configured with the twin instead (its oracle writes the gold dialogues that are replayed
   * verbatim against this user: {@code gold-replay}).
   */
  public SimCheck twinEnvironment(BoundEnvironment env) {
    this.twinEnvironment = env;
    return this;
  }

  /** Where the leak probe finds the answer it leaks (default: the task's {@code answer} field). */
  public SimCheck answers(Function<Task, Optional<String>> answerOf) {
    this.answerOf = Objects.requireNonNull(answerOf, "answerOf");
    return this;
  }

  /** Probes per check (default 20). */
  public SimCheck episodes(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("episodes must be at least 1, was " + n);
    }
    this.episodes = n;
    return this;
  }

  public SimCheck seed(long seed) {
    this.seed = seed;
    return this;
  }

  /** How long one simulator or environment stage may take (default 60 s). */
  public SimCheck timeoutMillis(long millis) {
    this.timeoutMillis = millis;
    return this;
  }

  /** A tally of one check. */
  private static final class Tally {
    final String check;
    final String note;
    long passed;
    long total;
    String example;

    Tally(String check, String note) {
      this.check = check;
      this.note = note;
    }

    void add(boolean ok, String evidence) {
      total++;
      if (ok) {
        passed++;
      } else if (example == null) {
        example = evidence;
      }
    }

    SimReport.Rate rate() {
      return new SimReport.Rate(check, passed, total, note, example);
    }
  }

  /** Runs every check. */
  public SimReport run() {
    Tally started = new Tally("start", "the user starts from the task alone (the probes below need it)");
    Tally confirm = new Tally("confirmation", "no stop right after the agent asks for confirmation");
    Tally unknown = new Tally("unknown-facts", "\"don't know\" to questions outside the persona");
    Tally opening = new Tally("opening", "the opening holds no secret value of the hidden state");
    Tally stop = new Tally("stop-token", "a stop token is the whole message and ends the talk");
    Tally voice = new Tally("user-voice", "no reply in the agent's voice");
    Tally oracle = new Tally("oracle-replay", "the gold agent succeeds (1 - rate = false negatives)");
    Tally goldReplay = new Tally("gold-replay", twinEnvironment == null ? "no twin environment"
        : "gold dialogues won against " + twinName + ", replayed verbatim, still succeed (1 - rate = false negatives)");
    Tally empathy = new Tally("empathy-monotone", "an empathic agent never lowers emotion below its start");
    Tally persuade = new Tally("persuasion-monotone", "a courteous persuader never lowers propensity below start");
    Tally leak = new Tally("leak-rejected", "a scripted leak of the answer is rejected");
    Tally agreement = new Tally("twin-agreement", twinName == null ? "no twin given (--twin)"
        : "turns on which " + twinName + " ends alike with agreeing signals");
    List<String> replies = new ArrayList<>();
    Set<String> secret = secretNames();

    for (int i = 0; i < episodes; i++) {
      Task task = task(i);
      long s = Seeds.mix(seed, i);
      // the gold agent's episode in the environment (false negatives); its messages script the twins' agreement
      List<String> gold = oracleEpisode(environment, i, task, s, oracle, replies);
      if (twinEnvironment != null) {
        // tau2's replay: a dialogue the oracle won against the twin, replayed verbatim against this user
        Tally won = new Tally("twin-oracle", "");
        List<String> script = oracleEpisode(twinEnvironment, i, task, s, won, new ArrayList<>());
        if (script != null && won.passed == 1) {
          gold = script;
          goldReplay.add(replay(task, s, script, replies), "the gold dialogue of task " + task.id() + " fails");
        }
      }
      // opening, then confirmation
      try (UserSimulator user = simulator.get()) {
        UserTurn open;
        try {
          open = await(user.start(task, s));
          started.add(true, null);
        } catch (RuntimeException e) {
          started.add(false, "failed: " + e.getMessage());
          continue; // a user that cannot start here is reported once, not as a failure of every probe
        }
        replies.add(open.reply().content());
        String dumped = dumpedSecret(open, secret);
        opening.add(dumped == null, dumped == null ? null : "opening reveals '" + dumped + "': " + open.reply().content());
        UserTurn r = await(user.respond(Message.assistant(CONFIRM.get(i % CONFIRM.size()))));
        replies.add(r.reply().content());
        confirm.add(!r.ended(), r.reply().content());
      } catch (RuntimeException e) {
        confirm.add(false, "failed: " + e);
        opening.add(false, "failed: " + e);
      }
      // a question outside the persona
      try (UserSimulator user = simulator.get()) {
        await(user.start(task, s));
        UserTurn r = await(user.respond(Message.assistant(UNKNOWN.get(i % UNKNOWN.size()))));
        replies.add(r.reply().content());
        unknown.add(DONT_KNOW.matcher(r.reply().content()).find(), r.reply().content());
      } catch (RuntimeException e) {
        unknown.add(false, "failed: " + e);
      }
      // a generic conversation (its replies feed the voice and stop checks)
      List<UserTurn> turns = converse(simulator, task, s, GENERIC);
      turns.forEach(t -> replies.add(t.reply().content()));
      if (twin != null) {
        List<String> script = gold == null || gold.isEmpty() ? GENERIC : gold;
        List<UserTurn> mine = script == GENERIC ? turns : converse(simulator, task, s, script);
        List<UserTurn> other = converse(twin, task, s, script);
        int n = Math.max(mine.size(), other.size());
        for (int k = 0; k < n; k++) {
          String why = k >= mine.size() || k >= other.size() ? "one ended or failed at turn " + k
              : disagreement(mine.get(k), other.get(k));
          agreement.add(why == null, why == null ? null : "turn " + k + ": " + why);
        }
      }
      monotone(task, s, StandardSignals.EMOTION, EMPATHY, empathy, replies);
      monotone(task, s, PROPENSITY, PERSUADE, persuade, replies);
      leakProbe(task, s, leak, replies);
    }
    for (String r : replies) {
      boolean hasToken = STOP_TOKEN.matcher(r).find();
      if (hasToken) {
        stop.add(STOP_TOKEN.matcher(r.strip()).matches(), r);
      }
      voice.add(!AGENT_VOICE.matcher(r).find(), r);
    }
    return new SimReport(name, environment == null ? null : environment.name(), List.of(started.rate(), confirm.rate(),
        unknown.rate(), opening.rate(), stop.rate(), voice.rate(), oracle.rate(), empathy.rate(), persuade.rate(),
        leak.rate(), agreement.rate(), goldReplay.rate()));
  }

  private Task task(int i) {
    return environment != null ? environment.tasks().task(i, seed) : Task.generated(name, Seeds.mix(seed, i));
  }

  /** The opening and one reply per agent message, until the user ends. Empty when it failed to start. */
  private List<UserTurn> converse(Supplier<UserSimulator> factory, Task task, long s, List<String> script) {
    List<UserTurn> out = new ArrayList<>();
    try (UserSimulator user = factory.get()) {
      UserTurn t = await(user.start(task, s));
      out.add(t);
      for (String m : script) {
        if (t.ended()) {
          break;
        }
        t = await(user.respond(Message.assistant(m)));
        out.add(t);
      }
    } catch (RuntimeException e) {
      // the turns so far stand; a failing user shows in the other checks
    }
    return out;
  }

  private void monotone(Task task, long s, SignalKey<Double> signal, List<String> script, Tally tally,
      List<String> replies) {
    List<UserTurn> turns = converse(simulator, task, s, script);
    if (turns.isEmpty()) {
      return;
    }
    OptionalDouble start = number(turns.get(0).signals(), signal);
    if (start.isEmpty()) {
      return; // the user has no such state: the check does not apply
    }
    double lowest = start.getAsDouble();
    for (UserTurn t : turns) {
      replies.add(t.reply().content());
      OptionalDouble v = number(t.signals(), signal);
      if (v.isPresent()) {
        lowest = Math.min(lowest, v.getAsDouble());
      }
    }
    tally.add(lowest >= start.getAsDouble(), signal.name() + " fell from " + start.getAsDouble() + " to " + lowest);
  }

  /** The value of {@code key}; empty when absent or not a number (a user whose state is not numeric is not checked). */
  private static OptionalDouble number(Signals signals, SignalKey<Double> key) {
    try {
      Optional<Double> v = signals.get(key);
      return v.isPresent() ? OptionalDouble.of(v.get()) : OptionalDouble.empty();
    } catch (ClassCastException e) {
      return OptionalDouble.empty();
    }
  }

  private void leakProbe(Task task, long s, Tally tally, List<String> replies) {
    try (UserSimulator user = simulator.get()) {
      UserTurn open = await(user.start(task, s));
      if (!open.signals().has(LEAK_DETECTED)) {
        return;
      }
      Optional<String> answer = answerOf.apply(task);
      if (answer.isEmpty()) {
        return;
      }
      UserTurn r = await(user.respond(Message.assistant("Here is the full solution, so you don't have to work: the "
          + "answer is " + answer.get() + ". Just write " + answer.get() + ".")));
      replies.add(r.reply().content());
      boolean rejected = r.signals().get(LEAK_DETECTED).orElse(false);
      tally.add(rejected, "leak of " + answer.get() + " not detected; reply: " + r.reply().content());
    } catch (RuntimeException e) {
      tally.add(false, "failed: " + e);
    }
  }

  /**
   * Runs the environment's oracle on task {@code i} against this user (through the environment, as training would)
   * and tallies whether it succeeded; returns the oracle's messages, or null when there is no environment or oracle.
   */
  private List<String> oracleEpisode(BoundEnvironment host, int i, Task task, long s, Tally tally,
      List<String> replies) {
    if (host == null) {
      return null;
    }
    Optional<Agent> gold = host.oracle();
    if (gold.isEmpty()) {
      return null;
    }
    List<String> said = new ArrayList<>();
    try (AnyEnvironment env = host.create()) {
      List<Message> conversation = new ArrayList<>();
      Reset reset = reset(env, task, s);
      conversation.addAll(reset.observation());
      reset.observation().stream().filter(m -> m.role() == dev.ludus.api.Role.USER)
          .forEach(m -> replies.add(m.content()));
      boolean success = false;
      String how = "the oracle stopped replying";
      for (int turn = 0; turn < 200; turn++) {
        AgentResponse a = await(gold.get().act(new AgentRequest("check-sim-" + i, task.visibleTo(gold.get()), s,
            turn, conversation, reset.tools())));
        if (!(a instanceof AgentResponse.Reply reply)) {
          break;
        }
        how = "the user's last reply: '" + (conversation.isEmpty() ? "" : conversation.get(conversation.size() - 1)
            .content()) + "'; the oracle's: '" + reply.message().content() + "'";
        conversation.add(reply.message());
        said.add(reply.message().content());
        StepResult step = step(env, reply.message());
        conversation.addAll(step.observation());
        step.observation().stream().filter(m -> m.role() == dev.ludus.api.Role.USER)
            .forEach(m -> replies.add(m.content()));
        if (step.done()) {
          success = step.signals().get(StandardSignals.SUCCESS).orElse(false);
          how = "ended after " + (turn + 1) + " turns; " + how;
          break;
        }
      }
      tally.add(success, "the oracle failed on task " + task.id() + ": " + how);
    } catch (Exception e) {
      tally.add(false, "failed: " + e);
    }
    return said;
  }

  /** Whether the agent messages {@code script}, replayed in order in this user's environment, end in success. */
  private boolean replay(Task task, long s, List<String> script, List<String> replies) {
    try (AnyEnvironment env = environment.create()) {
      reset(env, task, s).observation().stream().filter(m -> m.role() == dev.ludus.api.Role.USER)
          .forEach(m -> replies.add(m.content()));
      for (String m : script) {
        StepResult step = step(env, Message.assistant(m));
        step.observation().stream().filter(o -> o.role() == dev.ludus.api.Role.USER)
            .forEach(o -> replies.add(o.content()));
        if (step.done()) {
          return step.signals().get(StandardSignals.SUCCESS).orElse(false);
        }
      }
      return false;
    } catch (Exception e) {
      return false;
    }
  }

  private Reset reset(AnyEnvironment env, Task task, long s) {
    if (env instanceof Environment e) {
      return e.reset(task, s);
    }
    return await(((AsyncEnvironment) env).reset(task, s));
  }

  private StepResult step(AnyEnvironment env, Message m) {
    if (env instanceof Environment e) {
      return e.step(m);
    }
    return await(((AsyncEnvironment) env).step(m));
  }

  /** The names of the signals that are hidden state: the environment's secret ones, or every one without it. */
  private Set<String> secretNames() {
    if (environment == null) {
      return null;
    }
    Set<String> out = new java.util.HashSet<>();
    for (SignalKey<?> k : environment.signals()) {
      if (k.secret()) {
        out.add(k.name());
      }
    }
    return out;
  }

  /** A secret value the opening states verbatim, or null. */
  static String dumpedSecret(UserTurn open, Set<String> secret) {
    String text = open.reply().content().toLowerCase(Locale.ROOT);
    Signals signals = open.signals();
    for (Map.Entry<String, Object> e : signals.asMap().entrySet()) {
      if (secret != null && !secret.contains(e.getKey())) {
        continue;
      }
      Object v = e.getValue();
      if (v instanceof String str) {
        String s = str.strip().toLowerCase(Locale.ROOT);
        if (s.length() >= 4 && !s.equals(text.strip()) && text.contains(s)) {
          return e.getKey() + "=" + str;
        }
      } else if (v instanceof Collection<?> c && !c.isEmpty()) {
        boolean all = c.stream().allMatch(x -> x instanceof String str && str.length() >= 4
            && text.contains(str.toLowerCase(Locale.ROOT)));
        if (all) {
          return e.getKey() + "=" + c;
        }
      }
    }
    return null;
  }

  /** Why two users' turns disagree, or null when they agree. */
  static String disagreement(UserTurn a, UserTurn b) {
    if (a.ended() != b.ended()) {
      return "one ended, the other did not: '" + a.reply().content() + "' / '" + b.reply().content() + "'";
    }
    Map<String, Object> x = a.signals().asMap();
    Map<String, Object> y = b.signals().asMap();
    for (String k : x.keySet()) {
      if (!y.containsKey(k)) {
        continue;
      }
      Object u = x.get(k);
      Object v = y.get(k);
      if (u instanceof Number p && v instanceof Number q) {
        double d = Math.abs(p.doubleValue() - q.doubleValue());
        if (d > 0.1 * Math.max(1, Math.max(Math.abs(p.doubleValue()), Math.abs(q.doubleValue())))) {
          return k + ": " + u + " vs " + v;
        }
      } else if (u instanceof Boolean && !u.equals(v)) {
        return k + ": " + u + " vs " + v;
      }
    }
    return null;
  }

  private <T> T await(java.util.concurrent.CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause() == null ? e.toString() : e.getCause().toString(), e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("no answer within " + timeoutMillis + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

}
