package dev.ludus.environments.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Agent;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.ConfigException;
import dev.ludus.api.EnvChecker;
import dev.ludus.api.Message;
import dev.ludus.api.StepResult;
import dev.ludus.api.Task;
import dev.ludus.api.ToolCall;
import dev.ludus.api.testing.EnvTestKit;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The loaders read small files written by hand in BFCL's, xLAM's and ToolRL's formats. */
class DatasetLoadersTest {
  static final FunctionCallingProvider PROVIDER = new FunctionCallingProvider();

  static Path resource(String name) {
    try {
      return Path.of(DatasetLoadersTest.class.getResource("/function-calling/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static BoundEnvironment env(String format, String file) {
    return PROVIDER.bind(FunctionCallingConfig.defaults()
        .withDataset(new FunctionCallingConfig.Dataset(format, resource(file).toString())));
  }

  static Map<String, Task> tasks(BoundEnvironment env) {
    List<Task> all = FunctionCallingProvider.dataset(((FunctionCallingConfig) env.config()).dataset());
    return all.stream().collect(Collectors.toMap(Task::id, Function.identity()));
  }

  static Message calls(String... nameAndArgs) {
    List<ToolCall> tc = new ArrayList<>();
    for (int i = 0; i < nameAndArgs.length; i += 2) {
      tc.add(ToolCall.of("c" + i, nameAndArgs[i], nameAndArgs[i + 1]));
    }
    return Message.assistant("", tc);
  }

  static StepResult answer(BoundEnvironment env, Task task, Message action) {
    EnvTestKit.Played p = EnvTestKit.replay(env, task, 0, List.of(action));
    assertTrue(p.last().terminated(), "a single-turn question ends on the first message");
    return p.last();
  }

  static boolean passes(BoundEnvironment env, Task task, Message action) {
    return answer(env, task, action).signals().get(dev.ludus.api.StandardSignals.SUCCESS).orElseThrow();
  }

  @Test
  void bfcl_readsEveryFileOfADirectoryWithItsPossibleAnswers_andTheOracleSolvesThem() {
    BoundEnvironment env = env("bfcl", "bfcl");
    Map<String, Task> tasks = tasks(env);
    assertEquals(List.of("bfcl/irrelevance_0", "bfcl/multi_turn_base_0", "bfcl/multiple_0", "bfcl/parallel_0",
        "bfcl/simple_0", "bfcl/simple_1"), tasks.keySet().stream().sorted().toList());
    Agent oracle = env.oracle().orElseThrow();
    for (Task t : tasks.values()) {
      assertTrue(EnvTestKit.play(env, oracle, t, 0, 20).succeeded(), t.id());
    }
    EnvChecker.check(env).assertPassed();
  }

  @Test
  void bfcl_checksNameRequiredUnexpectedTypeAndValueLikeItsAstChecker() {
    BoundEnvironment env = env("bfcl", "bfcl");
    Task t = tasks(env).get("bfcl/simple_0");
    String f = "calculate_triangle_area";
    assertTrue(passes(env, t, calls(f, "{\"base\": 10, \"height\": 5}")), "unit may be left out");
    assertTrue(passes(env, t, calls(f, "{\"base\": 10, \"height\": 5, \"unit\": \"units\"}")));
    assertFalse(passes(env, t, calls(f, "{\"base\": 10}")), "height is required");
    assertFalse(passes(env, t, calls(f, "{\"base\": 10, \"height\": 5, \"color\": \"red\"}")), "unexpected");
    assertFalse(passes(env, t, calls(f, "{\"base\": 10.0, \"height\": 5}")), "a float is not an integer");
    assertFalse(passes(env, t, calls(f, "{\"base\": 12, \"height\": 5}")), "12 is not accepted");
    assertFalse(passes(env, t, calls("triangle_area", "{\"base\": 10, \"height\": 5}")), "wrong name");
    assertFalse(passes(env, t, calls(f, "{\"base\": 10, \"height\": 5}", f, "{\"base\": 10, \"height\": 5}")),
        "simple: exactly one call");
    StepResult bad = answer(env, t, calls(f, "{\"base\": \"ten\", \"height\": 5}"));
    assertFalse(bad.signals().get(dev.ludus.api.StandardSignals.TOOL_CALL_VALID).orElseThrow());
    assertTrue(bad.signals().get(dev.ludus.api.StandardSignals.TOOL_ERROR).orElseThrow().contains("/base"),
        "the schema violation names the field");
  }

  @Test
  void bfcl_normalisesStringsAndAcceptsAnyListedValue() {
    BoundEnvironment env = env("bfcl", "bfcl");
    Task t = tasks(env).get("bfcl/simple_1");
    assertTrue(passes(env, t, calls("book_table",
        "{\"restaurant\": \"luigi's\", \"date\": \"april 1 2024\", \"people\": 4}")));
    assertTrue(passes(env, t, calls("book_table",
        "{\"restaurant\": \"Luigis\", \"date\": \"2024/04/01\", \"time\": \"19:00\", \"people\": 4, \"outdoor\": false}")));
    assertFalse(passes(env, t, calls("book_table",
        "{\"restaurant\": \"Luigi's\", \"date\": \"April 2, 2024\", \"people\": 4}")));
    assertFalse(passes(env, t, calls("book_table",
        "{\"restaurant\": \"Luigi's\", \"date\": \"April 1, 2024\", \"people\": \"4\"}")));
  }

  @Test
  void bfcl_parallelMatchesInAnyOrder_multipleTakesAnIntegerForAFloat_irrelevanceMustNotCall() {
    BoundEnvironment env = env("bfcl", "bfcl");
    Map<String, Task> tasks = tasks(env);
    Task par = tasks.get("bfcl/parallel_0");
    assertTrue(passes(env, par, calls("spotify.play", "{\"artist\": \"Maroon 5\", \"duration\": 15}",
        "spotify.play", "{\"artist\": \"Taylor Swift\", \"duration\": 20}")));
    assertFalse(passes(env, par, calls("spotify.play", "{\"artist\": \"Maroon 5\", \"duration\": 15}")));
    Task mul = tasks.get("bfcl/multiple_0");
    assertTrue(passes(env, mul, calls("currency.convert",
        "{\"amount\": 100, \"from_currency\": \"USD\", \"to_currency\": \"EUR\"}")));
    assertFalse(passes(env, mul, calls("weather.get", "{\"city\": \"Paris\"}")));
    Task irr = tasks.get("bfcl/irrelevance_0");
    assertTrue(passes(env, irr, Message.assistant("I cannot look that up with these tools.")));
    assertFalse(passes(env, irr, calls("calculate_triangle_area", "{\"base\": 1, \"height\": 1}")));
  }

  @Test
  void bfcl_multiTurnEntriesOnLudusSandboxesRunAndAreCheckedTurnByTurn() {
    BoundEnvironment env = env("bfcl", "bfcl");
    Task t = tasks(env).get("bfcl/multi_turn_base_0");
    Message store = calls("memory_store", "{\"key\": \"locker_code\", \"value\": \"4412\"}");
    Message wrongTransfer = calls("transfer_funds",
        "{\"from_account\": \"CHK-1111\", \"to_account\": \"SAV-2222\", \"amount\": 60}");
    EnvTestKit.Played p = EnvTestKit.replay(env, t, 0, List.of(store, Message.assistant("Stored."), wrongTransfer,
        Message.assistant("Moved.")));
    assertTrue(p.last().terminated());
    assertFalse(p.succeeded());
    assertEquals(false, p.last().signals().get(FunctionCallingSignals.BFCL_STATE).orElseThrow());
    assertEquals(true, p.steps().get(1).signals().get(FunctionCallingSignals.TURN_PASSED).orElseThrow());
  }

  @Test
  void bfcl_aMultiTurnEntryOnClassesThatAreNotSandboxesIsRefusedNamingThem(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    java.nio.file.Files.createDirectories(dir.resolve("possible_answer"));
    java.nio.file.Files.writeString(dir.resolve("BFCL_v3_multi_turn_base.json"), "{\"id\": \"multi_turn_base_0\", "
        + "\"question\": [[{\"role\": \"user\", \"content\": \"ls\"}]], \"initial_config\": {\"GorillaFileSystem\": {}},"
        + " \"involved_classes\": [\"GorillaFileSystem\"]}\n");
    java.nio.file.Files.writeString(dir.resolve("possible_answer").resolve("BFCL_v3_multi_turn_base.json"),
        "{\"id\": \"multi_turn_base_0\", \"ground_truth\": [[\"ls()\"]]}\n");
    ConfigException e = assertThrows(ConfigException.class, () -> FunctionCallingProvider.dataset(
        new FunctionCallingConfig.Dataset("bfcl", dir.toString())));
    assertTrue(e.getMessage().contains("GorillaFileSystem"), e.getMessage());
  }

  @Test
  void xlam_readsRowsWithEmbeddedJsonAndChecksCallsInAnyOrder() {
    BoundEnvironment env = env("xlam", "xlam.json");
    Map<String, Task> tasks = tasks(env);
    assertEquals(2, tasks.size());
    Agent oracle = env.oracle().orElseThrow();
    tasks.values().forEach(t -> assertTrue(EnvTestKit.play(env, oracle, t, 0, 3).succeeded(), t.id()));
    Task two = tasks.get("xlam/2");
    assertTrue(passes(env, two, calls("convert_distance",
        "{\"value\": 3.0, \"from_unit\": \"miles\", \"to_unit\": \"kilometers\"}", "factorial", "{\"n\": 5}")));
    assertTrue(passes(env, two, calls("factorial", "{\"n\": 5}", "convert_distance",
        "{\"value\": 3, \"from_unit\": \"miles\", \"to_unit\": \"kilometers\", \"precision\": 2}")),
        "an optional parameter at its default is accepted");
    assertFalse(passes(env, two, calls("factorial", "{\"n\": 6}", "convert_distance",
        "{\"value\": 3, \"from_unit\": \"miles\", \"to_unit\": \"kilometers\"}")));
    EnvChecker.check(env).assertPassed();
  }

  @Test
  void toolRl_readsRowsAndJudgesByExactMatchInEitherProtocol() {
    BoundEnvironment env = env("toolrl", "toolrl.json");
    Map<String, Task> tasks = tasks(env);
    Task call = tasks.get("toolrl/0");
    Task respond = tasks.get("toolrl/1");
    Agent oracle = env.oracle().orElseThrow();
    assertTrue(EnvTestKit.play(env, oracle, call, 0, 2).succeeded());
    assertTrue(EnvTestKit.play(env, oracle, respond, 0, 2).succeeded());
    assertTrue(passes(env, call, Message.assistant("<think> check it </think>\n<tool_call>\n"
        + "{\"name\": \"emailvalidation\", \"parameters\": {\"email\": \"support@techhelp.org\"}}\n</tool_call>")),
        "ToolRL's own text format is read");
    assertFalse(passes(env, call, calls("emailvalidation", "{\"email\": \"info@peekdomain.com\"}")));
    assertTrue(passes(env, respond, Message.assistant("<think> no tool </think>\n<response> Sorry. </response>")));
    assertFalse(passes(env, respond, calls("Get Trending TV Shows", "{}")));
    assertEquals(2, answer(env, call, Message.assistant("hi")).observation().size() == 1 ? 2 : 0,
        "a reply without calls gets one message back");
    assertEquals(tasks.get("toolrl/0").fields().get("output"), tasks.get("toolrl/0").fields().get("gold_calls"));
  }

  @Test
  void aMissingOrMalformedFileIsBadInputNamingIt() {
    ConfigException missing = assertThrows(ConfigException.class, () -> FunctionCallingProvider.dataset(
        new FunctionCallingConfig.Dataset("xlam", "/no/such/file.json")));
    assertTrue(missing.getMessage().contains("/no/such/file.json"), missing.getMessage());
    ConfigException wrong = assertThrows(ConfigException.class, () -> FunctionCallingProvider.dataset(
        new FunctionCallingConfig.Dataset("toolrl", resource("xlam.json").toString())));
    assertTrue(wrong.getMessage().contains("instruction"), wrong.getMessage());
  }
}
