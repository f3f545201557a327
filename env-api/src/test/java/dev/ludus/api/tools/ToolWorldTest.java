package dev.ludus.api.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.EnvChecker;
import dev.ludus.api.Message;
import dev.ludus.api.NoConfig;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.Task;
import dev.ludus.api.ToolCall;
import dev.ludus.api.testing.EnvTestKit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** End to end: an environment built on the {@link ToolDispatcher}, played by scripted agents. */
class ToolWorldTest {
  private static final BoundEnvironment WORLD = new CityWorld().bind(NoConfig.INSTANCE);
  private static final Task OSLO = Task.generated("city-world", 7); // seed 7: Oslo (7 mod 3 = 1), times 2 + (7 / 3) mod 5 = 4

  /** An agent that says the given messages in order. */
  static Agent scripted(Message... script) {
    AtomicInteger next = new AtomicInteger();
    return r -> CompletableFuture.completedFuture(AgentResponse.reply(script[next.getAndIncrement()]));
  }

  @Test
  void theWorldPassesTheEnvironmentChecker() {
    EnvChecker.check(WORLD).assertPassed();
  }

  @Test
  void nativeCallsGetToolMessagesAndTheRightAnswerWins() {
    assertEquals("Oslo", CityWorld.city(OSLO));
    long factor = CityWorld.factor(OSLO);
    EnvTestKit.Played p = EnvTestKit.play(WORLD, scripted(
        Message.assistant("", List.of(ToolCall.of("a1", "population", "{\"city\": \"Oslo\"}"))),
        Message.assistant("", List.of(ToolCall.of("a2", "calculate", "{\"op\": \"mul\", \"a\": 709000, \"b\": " + factor + "}"))),
        Message.assistant(String.valueOf(709_000 * factor))), OSLO, 0, 10);
    assertEquals(List.of("population", "calculate", "archive"), p.reset().tools().stream().map(t -> t.name()).toList());
    assertEquals(List.of(Message.toolResult("a1", "population", "709000")), p.steps().get(0).observation());
    assertEquals(List.of(Message.toolResult("a2", "calculate", String.valueOf(709_000 * factor))),
        p.steps().get(1).observation());
    assertEquals(true, p.steps().get(0).signals().get(StandardSignals.TOOL_CALL_VALID).orElseThrow());
    assertFalse(p.steps().get(0).signals().has(StandardSignals.TOOL_ERROR));
    assertTrue(p.succeeded());
    assertEquals(1.0, p.totalReward());
  }

  @Test
  void aHermesTextCallGetsTheSameToolMessageWithTheIdCall0() {
    EnvTestKit.Played p = EnvTestKit.replay(WORLD, OSLO, 0, List.of(Message.assistant(
        "<think>look it up</think>\n<tool_call>\n{\"name\": \"population\", \"arguments\": {\"city\": \"Oslo\"}}\n</tool_call>")));
    assertEquals(List.of(Message.toolResult("call_0", "population", "709000")), p.steps().get(0).observation());
    assertEquals(true, p.steps().get(0).signals().get(StandardSignals.TOOL_CALL_VALID).orElseThrow());
  }

  @Test
  void badCallsAreAnsweredWithErrorsAndFlaggedWithTheirReasons() {
    EnvTestKit.Played p = EnvTestKit.replay(WORLD, OSLO, 0, List.of(
        Message.assistant("", List.of(ToolCall.of("b1", "weather", "{}"))),
        Message.assistant("", List.of(ToolCall.of("b2", "calculate", "{\"op\": \"pow\", \"a\": 2, \"b\": 3}"))),
        Message.assistant("<tool_call>{\"name\": \"population\", \"arguments\": {\"city\": \"Oslo\",}</tool_call>"),
        Message.assistant("", List.of(ToolCall.of("b4", "population", "{\"city\": \"Atlantis\"}")))));
    List<String> reasons = p.steps().stream()
        .map(s -> s.signals().get(StandardSignals.TOOL_ERROR).orElseThrow()).toList();
    assertEquals("unknown-tool: unknown tool 'weather'; known tools: population, calculate, archive", reasons.get(0));
    assertTrue(reasons.get(1).startsWith("invalid-arguments: the arguments of 'calculate' break its schema: at /op:"),
        reasons.get(1));
    assertTrue(reasons.get(2).startsWith("malformed-call: <tool_call> at offset 0 is not valid JSON"), reasons.get(2));
    assertEquals("tool-failed: 'population': no city named 'Atlantis'", reasons.get(3));
    assertEquals(List.of(false, false, false, true), p.steps().stream()
        .map(s -> s.signals().get(StandardSignals.TOOL_CALL_VALID).orElseThrow()).toList());
    assertEquals("Error: unknown tool 'weather'; known tools: population, calculate, archive",
        p.steps().get(0).observation().get(0).content());
    assertFalse(p.ended(), "bad calls are answered and the episode goes on");
  }

  @Test
  void aSlowToolTimesOutAndTheEpisodeGoesOn() {
    EnvTestKit.Played p = EnvTestKit.replay(WORLD, OSLO, 0, List.of(
        Message.assistant("", List.of(ToolCall.of("s1", "archive", "{}"))),
        Message.assistant("", List.of(ToolCall.of("s2", "population", "{\"city\": \"Oslo\"}")))));
    assertEquals("timeout: 'archive' did not answer within 30 ms",
        p.steps().get(0).signals().get(StandardSignals.TOOL_ERROR).orElseThrow());
    assertEquals(List.of(Message.toolResult("s1", "archive", "Error: 'archive' did not answer within 30 ms")),
        p.steps().get(0).observation());
    assertEquals("709000", p.steps().get(1).observation().get(0).content());
  }
}
