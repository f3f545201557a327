package dev.ludus.environments.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.Agent;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.ConfigException;
import dev.ludus.api.EnvChecker;
import dev.ludus.api.Message;
import dev.ludus.api.PluginRef;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.StepResult;
import dev.ludus.api.Task;
import dev.ludus.api.ToolCall;
import dev.ludus.api.tools.ToolCallParser;
import dev.ludus.api.testing.EnvTestKit;
import dev.ludus.api.testing.EnvTestKit.Played;
import dev.ludus.environments.tools.sandbox.Intent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class FunctionCallingEnvironmentTest {
  static final FunctionCallingProvider PROVIDER = new FunctionCallingProvider();
  static final BoundEnvironment DEFAULT = PROVIDER.bind(FunctionCallingConfig.defaults());

  /** The oracle, writing its calls as text in {@code format} instead of native tool calls. */
  static Agent textOracle(BoundEnvironment env, ToolCallParser format) {
    Agent oracle = env.oracle().orElseThrow();
    return r -> oracle.act(r).thenApply(resp -> {
      Message m = ((AgentResponse.Reply) resp).message();
      if (m.toolCalls().isEmpty()) {
        return resp;
      }
      String text = format.format().equals("hermes") ? "<think> I will call the tools. </think>\n"
          + format.render(m.toolCalls()) : format.render(m.toolCalls());
      return AgentResponse.reply(Message.assistant(text));
    });
  }

  static BoundEnvironment only(String category) {
    return PROVIDER.bind(FunctionCallingConfig.defaults().with(List.of(category), List.of()));
  }

  static Task first(BoundEnvironment env, Predicate<Scenario.Executable> wanted) {
    for (long i = 0; i < 500; i++) {
      Task t = env.tasks().task(i, 3);
      if (wanted.test((Scenario.Executable) Scenarios.of(t, (FunctionCallingConfig) env.config()))) {
        return t;
      }
    }
    throw new AssertionError("no such task in 500");
  }

  static Scenario.Executable scenario(BoundEnvironment env, Task t) {
    return (Scenario.Executable) Scenarios.of(t, (FunctionCallingConfig) env.config());
  }

  @Test
  void envChecker_passesWithTheDefaults() {
    EnvChecker.check(DEFAULT).assertPassed();
  }

  @Test
  void envChecker_passesOnEachCategoryAndWithNativeCallsOnly() {
    for (Category c : Category.values()) {
      EnvChecker.check(only(c.wireName())).assertPassed();
    }
    EnvChecker.check(PROVIDER.bind(FunctionCallingConfig.defaults().withTextCalls("none"))).assertPassed();
  }

  @Test
  void oracle_solvesEveryGeneratedTask() {
    Agent oracle = DEFAULT.oracle().orElseThrow();
    Map<String, Integer> byCategory = new TreeMap<>();
    for (long i = 0; i < 300; i++) {
      Task task = DEFAULT.tasks().task(i, 11);
      Played p = EnvTestKit.play(DEFAULT, oracle, task, i, 24);
      assertTrue(p.succeeded(), task.fields().get("category") + " " + task.id() + ": " + p.actions() + "\n" + p.steps());
      assertEquals(1.0, p.totalReward());
      assertFalse(p.anyInvalid(), task.id());
      byCategory.merge(task.fields().get("category"), 1, Integer::sum);
    }
    assertEquals(Category.values().length, byCategory.size(), "every category comes up: " + byCategory);
  }

  @Test
  void oracle_solvesThemWritingItsCallsAsHermesOrJsonText() {
    Agent hermes = textOracle(DEFAULT, ToolCallParser.hermes());
    BoundEnvironment jsonEnv = PROVIDER.bind(FunctionCallingConfig.defaults().withTextCalls("json"));
    Agent json = textOracle(jsonEnv, ToolCallParser.json());
    for (long i = 0; i < 60; i++) {
      Task task = DEFAULT.tasks().task(i, 12);
      assertTrue(EnvTestKit.play(DEFAULT, hermes, task, i, 24).succeeded(), "hermes " + task.id());
      assertTrue(EnvTestKit.play(jsonEnv, json, task, i, 24).succeeded(), "json " + task.id());
    }
  }

  @Test
  void theOracleCanWriteItsCallsAsTextForAWarmStart() {
    BoundEnvironment env = PROVIDER.bind(FunctionCallingConfig.defaults().withOracleTextCalls(true));
    Agent oracle = env.oracle().orElseThrow();
    for (long i = 0; i < 30; i++) {
      Task task = env.tasks().task(i, 13);
      Played p = EnvTestKit.play(env, oracle, task, i, 24);
      assertTrue(p.succeeded(), task.id());
      assertTrue(p.actions().stream().allMatch(m -> m.toolCalls().isEmpty()), "no native calls");
    }
    assertThrows(IllegalArgumentException.class,
        () -> FunctionCallingConfig.defaults().withTextCalls("none").withOracleTextCalls(true));
  }

  @Test
  void theSystemPromptCanBeReplacedOrLeftOut() {
    BoundEnvironment none = PROVIDER.bind(FunctionCallingConfig.defaults().withSystemPrompt(""));
    Task t = none.tasks().task(0, 1);
    Played p = EnvTestKit.play(none, none.oracle().orElseThrow(), t, 0, 24);
    assertEquals(List.of(dev.ludus.api.Role.USER), p.reset().observation().stream().map(Message::role).toList());
    assertTrue(p.succeeded());
    BoundEnvironment custom = PROVIDER.bind(FunctionCallingConfig.defaults().withSystemPrompt("Use the tools."));
    assertEquals("Use the tools.", EnvTestKit.replay(custom, t, 0, List.of()).reset().observation().get(0).content());
  }

  @Test
  void textCallsAreNotReadWhenTheConfigurationSaysNativeOnly() {
    BoundEnvironment nativeOnly = PROVIDER.bind(FunctionCallingConfig.defaults().with(List.of("simple"), List.of())
        .withTextCalls("none"));
    Task task = nativeOnly.tasks().task(0, 1);
    Played p = EnvTestKit.play(nativeOnly, textOracle(nativeOnly, ToolCallParser.hermes()), task, 0, 24);
    assertFalse(p.succeeded(), "the text was taken as a reply to the user");
  }

  @Test
  void random_staysNearZero() {
    Agent random = DEFAULT.randomAgent();
    int won = 0;
    int n = 300;
    for (long i = 0; i < n; i++) {
      Task task = DEFAULT.tasks().task(i, 5);
      if (EnvTestKit.play(DEFAULT, random, task, i, 24).succeeded()) {
        won++;
      }
    }
    assertTrue(won < n / 10, won + " of " + n);
  }

  @Test
  void signals_followTheTurn_fromDistanceToTheAstStateAndResponseChecks() {
    BoundEnvironment env = only("simple");
    Task t = first(env, s -> !s.turns().get(0).goal().samePublicState(s.initial()));
    Scenario.Executable s = scenario(env, t);
    Played p = EnvTestKit.play(env, env.oracle().orElseThrow(), t, 0, 24);
    assertTrue(p.reset().signals().get(FunctionCallingSignals.STATE_DISTANCE).orElseThrow() > 0);
    assertEquals(1, p.reset().signals().get(FunctionCallingSignals.GOLD_CALLS).orElseThrow());
    StepResult call = p.steps().get(0);
    assertEquals(0, call.signals().get(FunctionCallingSignals.STATE_DISTANCE).orElseThrow());
    assertEquals(1, call.signals().get(FunctionCallingSignals.GOLD_CALLS_MATCHED).orElseThrow());
    assertEquals(true, call.signals().get(FunctionCallingSignals.BFCL_AST).orElseThrow());
    assertEquals(true, call.signals().get(StandardSignals.TOOL_CALL_VALID).orElseThrow());
    assertEquals("ok", call.signals().get(FunctionCallingSignals.CALL_OUTCOMES).orElseThrow().get(0).status());
    StepResult end = p.last();
    assertEquals(true, end.signals().get(FunctionCallingSignals.BFCL_STATE).orElseThrow());
    assertEquals(true, end.signals().get(FunctionCallingSignals.BFCL_RESPONSE).orElseThrow());
    assertEquals(true, end.signals().get(FunctionCallingSignals.TURN_PASSED).orElseThrow());
    assertEquals("closing", end.signals().get(dev.ludus.simulators.scripted.ScriptedUserSignals.ACT).orElseThrow());
    assertEquals(2, p.steps().size(), s.toString());
  }

  @Test
  void anInvalidCallIsAnsweredWithTheSchemaViolationAndNeverRuns() {
    BoundEnvironment env = only("simple");
    Task t = first(env, s -> !s.turns().get(0).goal().samePublicState(s.initial()));
    Scenario.Executable s = scenario(env, t);
    Intent.Call gold = s.turns().get(0).calls().get(0);
    ObjectNode broken = gold.arguments();
    String dropped = broken.fieldNames().next();
    broken.remove(dropped);
    Played p = EnvTestKit.replay(env, t, 0, List.of(Message.assistant("",
        List.of(ToolCall.of("c0", gold.name(), broken.toString())))));
    StepResult r = p.last();
    assertEquals(false, r.signals().get(StandardSignals.TOOL_CALL_VALID).orElseThrow());
    String error = r.signals().get(StandardSignals.TOOL_ERROR).orElseThrow();
    assertTrue(error.startsWith("invalid-arguments") && error.contains(dropped), error);
    assertEquals("invalid", r.signals().get(FunctionCallingSignals.CALL_OUTCOMES).orElseThrow().get(0).status());
    assertEquals(p.reset().signals().get(FunctionCallingSignals.STATE_DISTANCE),
        r.signals().get(FunctionCallingSignals.STATE_DISTANCE), "nothing ran");
    assertEquals(false, r.signals().get(FunctionCallingSignals.BFCL_AST).orElseThrow());
    assertTrue(r.observation().get(0).content().startsWith("Error:"));
  }

  @Test
  void missingArgument_theAgentMustAskBeforeCalling_evenAGoodGuessFails() {
    BoundEnvironment env = only("missing-argument");
    Task t = env.tasks().task(0, 1);
    Scenario.Executable s = scenario(env, t);
    Intent.Fact fact = s.turns().get(0).fact().orElseThrow();
    Message goldCall = Scenarios.callMessage(s.turns().get(0).steps().get(0), 0);
    Played guessed = EnvTestKit.replay(env, t, 0, List.of(goldCall, Message.assistant("Done.")));
    assertFalse(guessed.succeeded(), "calling before asking fails the turn even with the right value");
    Played asked = EnvTestKit.replay(env, t, 0, List.of(Message.assistant(Scenarios.ask(fact)), goldCall,
        Message.assistant("Done.")));
    assertEquals(fact.answer(), asked.steps().get(0).observation().get(0).content());
    assertTrue(asked.succeeded());
    Played never = EnvTestKit.replay(env, t, 0, List.of(Message.assistant("Done.")));
    assertFalse(never.succeeded());
    assertTrue(never.last().terminated());
  }

  @Test
  void irrelevance_anyCallFailsTheTurn_aRefusalPasses() {
    BoundEnvironment env = only("irrelevance");
    Task t = env.tasks().task(0, 1);
    Scenario.Executable s = scenario(env, t);
    assertTrue(s.turns().get(0).steps().isEmpty());
    Played refused = EnvTestKit.replay(env, t, 0, List.of(Message.assistant("Sorry, I can't do that.")));
    assertTrue(refused.succeeded());
    assertEquals(true, refused.last().signals().get(FunctionCallingSignals.BFCL_AST).orElseThrow());
    var random = new FunctionCallingRandomAgent();
    Message someCall = null;
    for (int turn = 0; someCall == null; turn++) {
      Message m = ((AgentResponse.Reply) random.act(new dev.ludus.api.AgentRequest("e", t, 0, turn,
          refused.reset().observation(), s.tools())).toCompletableFuture().join()).message();
      someCall = m.toolCalls().isEmpty() ? null : m;
    }
    Played called = EnvTestKit.replay(env, t, 0, List.of(someCall, Message.assistant("Sorry.")));
    assertFalse(called.succeeded());
    assertEquals(false, called.last().signals().get(FunctionCallingSignals.TURN_PASSED).orElseThrow());
  }

  @Test
  void multiTurn_aFailedTurnEndsTheEpisode() {
    BoundEnvironment env = only("multi-turn");
    Task t = first(env, s -> s.turns().size() >= 2 && !s.turns().get(0).steps().isEmpty()
        && s.turns().get(0).fact().isEmpty());
    Played p = EnvTestKit.replay(env, t, 0, List.of(Message.assistant("Done.")));
    assertTrue(p.last().terminated());
    assertFalse(p.succeeded());
    assertEquals(false, p.last().signals().get(FunctionCallingSignals.TURN_PASSED).orElseThrow());
  }

  @Test
  void theSameTaskSeedAndActionsReplayExactly() {
    Agent random = DEFAULT.randomAgent();
    for (long i = 0; i < 20; i++) {
      Task task = DEFAULT.tasks().task(i, 8);
      Played a = EnvTestKit.play(DEFAULT, random, task, i, 24);
      Played b = EnvTestKit.replay(DEFAULT, task, i, a.actions());
      assertEquals(a.steps(), b.steps());
    }
  }

  @Test
  void tasksCarryTheGoldForTheToolCallShaperButTheObservationDoesNotShowIt() {
    BoundEnvironment env = only("simple");
    Task t = env.tasks().task(4, 4);
    Scenario.Executable s = scenario(env, t);
    assertEquals("simple", t.fields().get("category"));
    assertTrue(t.fields().get("gold_calls").contains(s.turns().get(0).calls().get(0).name()));
    assertTrue(t.fields().get("gold_calls_per_turn").startsWith("[["));
    Played p = EnvTestKit.replay(env, t, 0, List.of());
    p.reset().observation().forEach(m -> assertFalse(m.content().contains("gold"), m.content()));
  }

  @Test
  void anUnknownUserIsBadInputNamingTheField() {
    BoundEnvironment env = PROVIDER.bind(FunctionCallingConfig.defaults().withUser(PluginRef.of("no-such-user")));
    ConfigException e = assertThrows(ConfigException.class, env::probe);
    assertTrue(e.getMessage().contains("user"), e.getMessage());
  }

  @Test
  void badConfigurationsNameTheFieldAndWhatIsAllowed() {
    IllegalArgumentException c = assertThrows(IllegalArgumentException.class,
        () -> FunctionCallingConfig.defaults().with(List.of("sequential"), List.of()));
    assertTrue(c.getMessage().contains("categories") && c.getMessage().contains("multi-turn"), c.getMessage());
    IllegalArgumentException s = assertThrows(IllegalArgumentException.class,
        () -> FunctionCallingConfig.defaults().with(List.of(), List.of("shell")));
    assertTrue(s.getMessage().contains("sandboxes") && s.getMessage().contains("memory"), s.getMessage());
    assertThrows(IllegalArgumentException.class, () -> FunctionCallingConfig.defaults().withTextCalls("xml"));
    assertThrows(IllegalArgumentException.class, () -> new FunctionCallingConfig.Dataset("csv", "x"));
  }

  @Test
  void restrictingTheSandboxesKeepsTasksOnThem() {
    BoundEnvironment env = PROVIDER.bind(FunctionCallingConfig.defaults().with(List.of(), List.of("math", "memory")));
    Agent oracle = env.oracle().orElseThrow();
    List<String> seen = new ArrayList<>();
    for (long i = 0; i < 40; i++) {
      Task t = env.tasks().task(i, 2);
      Scenario.Executable s = scenario(env, t);
      seen.addAll(s.initial().sandboxes());
      assertTrue(EnvTestKit.play(env, oracle, t, i, 24).succeeded());
    }
    assertTrue(List.of("math", "memory").containsAll(seen), seen.toString());
  }
}
