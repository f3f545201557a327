package dev.ludus.environments.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.AsyncEnvironment;
import dev.ludus.api.Message;
import dev.ludus.api.Reset;
import dev.ludus.api.SignalKey;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.StepResult;
import dev.ludus.api.Task;
import dev.ludus.api.ToolSpec;
import dev.ludus.api.UserSimulator;
import dev.ludus.api.UserTurn;
import dev.ludus.api.tools.StrictJson;
import dev.ludus.api.tools.Tool;
import dev.ludus.api.tools.ToolDispatch;
import dev.ludus.api.tools.ToolDispatcher;
import dev.ludus.api.tools.ToolError;

import dev.ludus.environments.tools.FunctionCallingSignals.CallOutcome;
import dev.ludus.environments.tools.sandbox.Intent;
import dev.ludus.environments.tools.sandbox.World;
import dev.ludus.simulators.scripted.ScriptedUserSignals;
import dev.ludus.simulators.scripted.ScriptedUserSignals.Act;
import dev.ludus.simulators.scripted.UserScript;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code function-calling} episode at a time. Not thread-safe: the runtime calls one method at a time.
 * Closing it closes the simulated user.
 *
 * <p>Design note. An {@link Scenario.Executable executable} task is a conversation: the simulated user makes a
 * request; a message of the agent with calls (native {@code tool_calls} or text in the configured format) goes
 * to a {@link ToolDispatcher} whose tools are the sandbox methods on the episode's {@link World} (validated
 * against their JSON Schemas first, each under its time limit, answered with tool messages); a message without
 * calls goes to the user, who either gives a held-back detail it was asked for (the turn goes on) or takes the
 * turn as done. When a turn is done it is checked as BFCL's multi-turn checker does: the sandboxes' public state
 * must equal the state the gold calls lead to, and the gold calls' results must all be among the agent's results
 * so far (a turn without gold calls must see no call at all; a turn whose request left out a detail must see no
 * call before the agent asked for it, as BFCL's missing-parameter turns must see none). A failed turn ends the episode (BFCL stops at the
 * first failed turn too); the last turn passed ends it with reward 1. A {@link Scenario.SingleTurn single-turn}
 * question (a BFCL, xLAM or ToolRL row) ends on the agent's first message, which BFCL's AST checker judges (ToolRL:
 * the calls must equal the gold's); nothing is run.
 */
final class FunctionCallingEnvironment implements AsyncEnvironment {
  private static final Pattern THINK = Pattern.compile("(?s)<think>.*?</think>");
  private static final Pattern RESPONSE = Pattern.compile("(?s)<response>(.*?)</response>");

  private final FunctionCallingConfig config;
  private final UserSimulator user;

  private Scenario scenario;
  private SandboxTool.Session session;
  private ToolDispatcher dispatcher;
  private boolean running;
  private boolean closed;
  private int steps;
  private int turn;
  private boolean calledThisTurn;
  private boolean factGiven;
  private boolean calledBeforeAsking;
  private boolean astDone;
  private final List<String> results = new ArrayList<>();
  private final Set<Integer> matched = new HashSet<>();
  private List<FunctionDoc> docs = List.of();
  private String lastAction = "";

  /** @param user the simulated user, owned: closed with the environment */
  FunctionCallingEnvironment(FunctionCallingConfig config, UserSimulator user) {
    this.config = Objects.requireNonNull(config, "config");
    this.user = Objects.requireNonNull(user, "user");
  }

  @Override
  public CompletionStage<Reset> reset(Task task, long seed) {
    if (closed) {
      return CompletableFuture.failedFuture(new IllegalStateException("reset after close"));
    }
    running = false;
    steps = 0;
    turn = 0;
    calledThisTurn = false;
    factGiven = false;
    calledBeforeAsking = false;
    astDone = false;
    results.clear();
    matched.clear();
    try {
      scenario = Scenarios.of(task, config);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    docs = scenario.tools().stream().map(FunctionDoc::fromSpec).toList();
    if (scenario instanceof Scenario.SingleTurn st) {
      dispatcher = dispatcher(st.tools().stream().map(FunctionCallingEnvironment::notRun).toList());
      running = true;
      Signals s = Signals.builder().put(FunctionCallingSignals.GOLD_CALLS, st.possible().size())
          .put(FunctionCallingSignals.GOLD_CALLS_MATCHED, 0).build();
      return CompletableFuture.completedFuture(new Reset(st.prompt(), st.tools(), s));
    }
    Scenario.Executable ex = (Scenario.Executable) scenario;
    session = new SandboxTool.Session(ex.initial());
    Duration limit = Duration.ofMillis(config.callTimeLimitMillis());
    dispatcher = dispatcher(ex.tools().stream().<Tool>map(t -> new SandboxTool(t, limit, session)).toList());
    Task userTask = new Task(task.id(), task.seed(), Map.of(UserScript.FIELD, ex.script().toJson().toString()));
    return user.start(userTask, seed).thenApply(opening -> {
      running = true;
      Signals s = Signals.builder().putAll(userSignals(opening)).putAll(turnSignals(ex)).build();
      List<Message> observation = config.systemPrompt().isEmpty() ? List.of(opening.reply())
          : List.of(Message.system(config.systemPrompt()), opening.reply());
      return new Reset(observation, ex.tools(), s);
    });
  }

  private ToolDispatcher dispatcher(List<Tool> tools) {
    ToolDispatcher.Builder b = ToolDispatcher.builder().tools(tools);
    if (config.parser() == null) {
      b.nativeOnly();
    } else {
      b.textCalls(config.parser());
    }
    return b.build();
  }

  private static Tool notRun(ToolSpec spec) {
    return Tool.of(spec, args -> "(not run: this question is checked, not executed)");
  }

  @Override
  public CompletionStage<StepResult> step(Message action) {
    Objects.requireNonNull(action, "action");
    if (!running) {
      return CompletableFuture.failedFuture(new IllegalStateException(
          closed ? "step after close" : scenario == null ? "step before reset" : "step after the episode ended"));
    }
    steps++;
    lastAction = action.content();
    if (scenario instanceof Scenario.SingleTurn st) {
      return dispatcher.dispatch(action).thenApply(d -> judge(st, d));
    }
    Scenario.Executable ex = (Scenario.Executable) scenario;
    return dispatcher.dispatch(action).thenCompose(d -> d.called()
        ? CompletableFuture.completedFuture(afterCalls(ex, d)) : toUser(ex, action));
  }

  // ---- single-turn ----

  private StepResult judge(Scenario.SingleTurn st, ToolDispatch d) {
    running = false;
    Optional<List<BfclChecker.ModelCall>> calls = modelCalls(d);
    boolean valid;
    if (st.possible().isEmpty()) {
      valid = !d.called();
    } else if (calls.isEmpty() || !d.unreadable().isEmpty()) {
      valid = false;
    } else if (st.format().equals(ToolRlFormat.FORMAT)) {
      valid = exactlyGold(st.gold(), calls.get());
    } else {
      valid = BfclChecker.check(st.docs(), calls.get(), st.possible(), st.category()).valid();
    }
    int goldMatched = 0;
    Set<Integer> used = new HashSet<>();
    for (BfclChecker.PossibleCall p : st.possible()) {
      FunctionDoc doc = st.docs().stream().filter(x -> x.name().equals(p.name())).findFirst().orElse(null);
      for (int i = 0; i < calls.orElse(List.of()).size(); i++) {
        if (!used.contains(i) && BfclChecker.simple(doc, calls.get().get(i), p).valid()) {
          used.add(i);
          goldMatched++;
          break;
        }
      }
    }
    Signals.Builder s = Signals.builder().putAll(d.signals()).put(StandardSignals.SUCCESS, valid)
        .put(FunctionCallingSignals.GOLD_CALLS, st.possible().size())
        .put(FunctionCallingSignals.GOLD_CALLS_MATCHED, goldMatched);
    if (!st.format().equals(ToolRlFormat.FORMAT)) {
      s.put(FunctionCallingSignals.BFCL_AST, valid);
    }
    if (d.called()) {
      s.put(FunctionCallingSignals.CALL_OUTCOMES, outcomes(d));
    }
    invalid(d).ifPresent(reason -> s.put(StandardSignals.INVALID_ACTION, reason));
    if (!d.called() && visible(lastAction).isEmpty()) {
      s.put(StandardSignals.INVALID_ACTION, "the message is empty: call a tool or write to the user");
    }
    List<Message> observation = new ArrayList<>(d.messages());
    observation.add(Message.user(valid ? "Thank you." : "That is not what I needed."));
    return new StepResult(observation, valid ? 1.0 : 0.0, true, false, s.build());
  }

  private static boolean exactlyGold(List<Intent.Call> gold, List<BfclChecker.ModelCall> calls) {
    if (gold.size() != calls.size()) {
      return false;
    }
    for (int i = 0; i < gold.size(); i++) {
      if (!gold.get(i).name().equals(calls.get(i).name())
          || !StrictJson.equal(gold.get(i).arguments(), calls.get(i).arguments())) {
        return false;
      }
    }
    return true;
  }

  /** The calls of a dispatch as the checker reads them; empty when one has arguments that are not an object. */
  private static Optional<List<BfclChecker.ModelCall>> modelCalls(ToolDispatch d) {
    List<BfclChecker.ModelCall> out = new ArrayList<>();
    for (ToolDispatch.Outcome o : d.outcomes()) {
      Optional<ObjectNode> args = StrictJson.tryParseObject(o.call().arguments());
      if (args.isEmpty()) {
        return Optional.empty();
      }
      out.add(new BfclChecker.ModelCall(o.call().name(), args.get()));
    }
    return Optional.of(out);
  }

  /** Why the calls of a message could not be understood (unreadable, unknown tool, bad arguments), if so. */
  private static Optional<String> invalid(ToolDispatch d) {
    if (d.valid()) {
      return Optional.empty();
    }
    return d.errors().stream().filter(e -> e.kind().invalidCall()).findFirst().map(ToolError::reason);
  }

  private static List<CallOutcome> outcomes(ToolDispatch d) {
    List<CallOutcome> out = new ArrayList<>();
    d.unreadable().ifPresent(e -> out.add(new CallOutcome("", "invalid", e.detail())));
    for (ToolDispatch.Outcome o : d.outcomes()) {
      String status = o.error().map(e -> e.kind().invalidCall() ? "invalid"
          : e.kind() == ToolError.Kind.TIMEOUT ? "timeout" : "error").orElse("ok");
      out.add(new CallOutcome(o.call().name(), status, o.error().map(ToolError::detail).orElse("")));
    }
    return out;
  }

  // ---- executable ----

  private StepResult afterCalls(Scenario.Executable ex, ToolDispatch d) {
    calledThisTurn = true;
    Scenario.PlannedTurn current = ex.turns().get(turn);
    if (current.fact().isPresent() && !factGiven) {
      calledBeforeAsking = true;
    }
    List<Intent.Call> gold = current.calls();
    for (ToolDispatch.Outcome o : d.outcomes()) {
      if (!o.succeeded()) {
        continue;
      }
      results.add(o.content());
      Optional<ObjectNode> args = StrictJson.tryParseObject(o.call().arguments());
      if (args.isEmpty()) {
        continue;
      }
      BfclChecker.ModelCall call = new BfclChecker.ModelCall(o.call().name(), args.get());
      for (int g = 0; g < gold.size(); g++) {
        if (!matched.contains(g) && goldMatch(gold.get(g), call)) {
          matched.add(g);
          break;
        }
      }
    }
    Signals.Builder s = Signals.builder().putAll(d.signals())
        .put(FunctionCallingSignals.CALL_OUTCOMES, outcomes(d)).putAll(turnSignals(ex));
    invalid(d).ifPresent(reason -> s.put(StandardSignals.INVALID_ACTION, reason));
    if (ex.astChecked() && !astDone) {
      astDone = true;
      s.put(FunctionCallingSignals.BFCL_AST, astCheck(ex, d));
    }
    boolean truncated = steps >= config.maxTurns();
    if (truncated) {
      running = false;
      s.put(StandardSignals.SUCCESS, false);
    }
    return new StepResult(d.messages(), 0.0, false, truncated, s.build());
  }

  private boolean goldMatch(Intent.Call gold, BfclChecker.ModelCall call) {
    FunctionDoc doc = docs.stream().filter(x -> x.name().equals(gold.name())).findFirst().orElse(null);
    return doc != null && BfclChecker.simple(doc, call, PossibleAnswers.of(gold, doc)).valid();
  }

  /** BFCL's AST check of the first message of a single-turn generated task. */
  private boolean astCheck(Scenario.Executable ex, ToolDispatch d) {
    Scenario.PlannedTurn t = ex.turns().get(0);
    if (t.steps().isEmpty()) {
      return !d.called();
    }
    Optional<List<BfclChecker.ModelCall>> calls = modelCalls(d);
    if (calls.isEmpty() || d.unreadable().isPresent()) {
      return false;
    }
    List<BfclChecker.PossibleCall> possible = new ArrayList<>();
    for (Intent.Call g : t.steps().get(0)) {
      FunctionDoc doc = docs.stream().filter(x -> x.name().equals(g.name())).findFirst().orElseThrow();
      possible.add(PossibleAnswers.of(g, doc));
    }
    return BfclChecker.check(docs, calls.get(), possible, ex.category()).valid();
  }

  private Signals turnSignals(Scenario.Executable ex) {
    Scenario.PlannedTurn t = ex.turns().get(turn);
    return Signals.builder().put(FunctionCallingSignals.STATE_DISTANCE, session.world.distance(t.goal()))
        .put(FunctionCallingSignals.GOLD_CALLS, t.calls().size())
        .put(FunctionCallingSignals.GOLD_CALLS_MATCHED, matched.size()).build();
  }

  /** What the user sees of the agent's message: without {@code <think>} blocks, the {@code <response>} if any. */
  static String visible(String content) {
    String text = THINK.matcher(content).replaceAll("");
    Matcher m = RESPONSE.matcher(text);
    return (m.find() ? m.group(1) : text).strip();
  }

  private CompletionStage<StepResult> toUser(Scenario.Executable ex, Message action) {
    String text = visible(action.content());
    Signals.Builder s = Signals.builder();
    if (ex.astChecked() && !astDone && !text.isEmpty()) {
      astDone = true;
      s.put(FunctionCallingSignals.BFCL_AST, ex.turns().get(0).steps().isEmpty());
    }
    if (text.isEmpty()) {
      s.put(StandardSignals.INVALID_ACTION, "the message is empty: call a tool or write to the user")
          .putAll(turnSignals(ex));
      boolean truncated = steps >= config.maxTurns();
      if (truncated) {
        running = false;
        s.put(StandardSignals.SUCCESS, false);
      }
      return CompletableFuture.completedFuture(new StepResult(List.of(Message.user(
          "(Your message was empty. Call a tool, or write to me.)")), 0.0, false, truncated, s.build()));
    }
    return user.respond(Message.assistant(text)).thenApply(said -> afterUser(ex, said, s));
  }

  private StepResult afterUser(Scenario.Executable ex, UserTurn said, Signals.Builder s) {
    s.putAll(userSignals(said));
    Act act = said.signals().get(ScriptedUserSignals.ACT).flatMap(Act::fromWire)
        .orElse(said.ended() ? Act.CLOSING : Act.NEXT_REQUEST);
    if (act == Act.ANSWERED || act == Act.REQUEST) {
      factGiven |= act == Act.ANSWERED;
      s.putAll(turnSignals(ex));
      boolean truncated = steps >= config.maxTurns();
      if (truncated) {
        running = false;
        s.put(StandardSignals.SUCCESS, false);
      }
      return new StepResult(List.of(said.reply()), 0.0, false, truncated, s.build());
    }
    Scenario.PlannedTurn t = ex.turns().get(turn);
    boolean passed;
    if (t.steps().isEmpty()) {
      passed = !calledThisTurn;
    } else {
      boolean state = session.world.samePublicState(t.goal());
      boolean response = containsAll(results, t.goldResults());
      s.put(FunctionCallingSignals.BFCL_STATE, state).put(FunctionCallingSignals.BFCL_RESPONSE, response);
      passed = calledThisTurn && state && response && !calledBeforeAsking;
    }
    s.put(FunctionCallingSignals.TURN_PASSED, passed);
    boolean last = turn + 1 >= ex.turns().size();
    if (!passed || last || act == Act.CLOSING) {
      running = false;
      boolean success = passed && last;
      s.putAll(turnSignals(ex)).put(StandardSignals.SUCCESS, success);
      return new StepResult(List.of(said.reply()), success ? 1.0 : 0.0, true, false, s.build());
    }
    turn++;
    calledThisTurn = false;
    factGiven = false;
    calledBeforeAsking = false;
    matched.clear();
    s.putAll(turnSignals(ex));
    boolean truncated = steps >= config.maxTurns();
    if (truncated) {
      running = false;
      s.put(StandardSignals.SUCCESS, false);
    }
    return new StepResult(List.of(said.reply()), 0.0, false, truncated, s.build());
  }

  /** BFCL's response check: every gold result is among the agent's results (a multiset inclusion). */
  static boolean containsAll(List<String> agent, List<String> gold) {
    List<String> left = new ArrayList<>(agent);
    for (String g : gold) {
      if (!left.remove(g)) {
        return false;
      }
    }
    return true;
  }

  /** The user's signals that this environment declares (a user of another kind may publish others). */
  private Signals userSignals(UserTurn said) {
    Signals.Builder b = Signals.builder();
    for (SignalKey<?> k : ScriptedUserSignals.all()) {
      copy(said.signals(), k, b);
    }
    return b.build();
  }

  private static <T> void copy(Signals from, SignalKey<T> key, Signals.Builder to) {
    from.get(key).ifPresent(v -> to.put(key, v));
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      running = false;
      user.close();
    }
  }
}
