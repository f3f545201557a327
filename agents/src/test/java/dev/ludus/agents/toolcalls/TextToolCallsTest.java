package dev.ludus.agents.toolcalls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.AgentStatistics;
import dev.ludus.api.Message;
import dev.ludus.api.Task;
import dev.ludus.api.TokenTrace;
import dev.ludus.api.ToolCall;
import dev.ludus.api.ToolSpec;
import dev.ludus.api.tools.ToolCallParser;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class TextToolCallsTest {
  static final List<ToolSpec> SEARCH = List.of(new ToolSpec("search", "Searches",
      "{\"type\":\"object\",\"properties\":{\"q\":{\"type\":\"string\"}},\"required\":[\"q\"]}"));
  static final TextToolCalls HERMES_FAIL = TextToolCalls.of("test", ToolCallParser.hermes(), TextToolCalls.OnInvalid.FAIL);
  static final TokenTrace TRACE = new TokenTrace(new int[] {1, 2}, new int[] {3, 4, 5}, new float[] {-1, -2, -3}, 7);

  static AgentResponse reply(String text) {
    return AgentResponse.reply(Message.assistant(text), TRACE, "stop", new AgentResponse.Usage(2, 3));
  }

  @Test
  void textCallsBecomeNativeCallsAndTheTraceFinishReasonAndUsageAreKept() {
    AgentResponse.Reply r = assertInstanceOf(AgentResponse.Reply.class, HERMES_FAIL.apply(reply(
        "Let me look.\n<tool_call>{\"name\": \"search\", \"arguments\": {\"q\": \"x\"}}</tool_call>"), SEARCH));
    assertEquals(Message.assistant("Let me look.", List.of(ToolCall.of("call_0", "search", "{\"q\":\"x\"}"))),
        r.message());
    assertSame(TRACE, r.tokens());
    assertEquals("stop", r.finishReason());
    assertEquals(new AgentResponse.Usage(2, 3), r.usage());
  }

  @Test
  void jsonFormatReadsAWholeMessageCall() {
    TextToolCalls json = TextToolCalls.fromOptions("test", "JSON", "pass");
    AgentResponse.Reply r = (AgentResponse.Reply) json.apply(reply("{\"name\": \"search\", \"parameters\": {\"q\": \"y\"}}"),
        SEARCH);
    assertEquals(List.of(ToolCall.of("call_0", "search", "{\"q\":\"y\"}")), r.message().toolCalls());
    assertEquals("", r.message().content());
  }

  @Test
  void nativeCallsFailuresPlainTextAndUnreadableCallsAreLeftAsTheyAre() {
    AgentResponse nativeCalls = AgentResponse.reply(Message.assistant("<tool_call>{\"name\": \"x\"}</tool_call>",
        List.of(ToolCall.of("n1", "search", "{\"q\": 1}"))));
    AgentResponse failure = AgentResponse.failure("backend down");
    AgentResponse plain = reply("The answer is 4.");
    AgentResponse unreadable = reply("<tool_call>{\"name\": \"search\", \"arguments\": {oops}}</tool_call>");
    for (AgentResponse r : List.of(nativeCalls, failure, plain, unreadable)) {
      assertSame(r, HERMES_FAIL.apply(r, SEARCH));
    }
  }

  @Test
  void noneReadsNothing() {
    AgentResponse r = reply("<tool_call>{\"name\": \"search\", \"arguments\": {\"q\": \"x\"}}</tool_call>");
    assertSame(r, TextToolCalls.none().apply(r, SEARCH));
    assertTrue(!TextToolCalls.none().enabled() && HERMES_FAIL.enabled());
  }

  @Test
  void withFailACallBreakingTheSchemaOrNamingNoOfferedToolFailsTheTurnNamingTheField() {
    AgentResponse bad = reply("<tool_call>{\"name\": \"search\", \"arguments\": {\"q\": 7}}</tool_call>"
        + "<tool_call>{\"name\": \"browse\", \"arguments\": {}}</tool_call>");
    AgentResponse.Failure f = assertInstanceOf(AgentResponse.Failure.class, HERMES_FAIL.apply(bad, SEARCH));
    assertEquals("test/invalid-tool-arguments: text tool call 'search' (id call_0): at /q: integer found, string "
        + "expected; text tool call 'browse' (id call_1): unknown tool 'browse'; known tools: search", f.reason());
    AgentResponse.Reply passed = assertInstanceOf(AgentResponse.Reply.class,
        TextToolCalls.of("test", ToolCallParser.hermes(), TextToolCalls.OnInvalid.PASS).apply(bad, SEARCH));
    assertEquals(2, passed.message().toolCalls().size(), "pass leaves the judging to the environment");
    assertInstanceOf(AgentResponse.Reply.class, HERMES_FAIL.apply(bad, List.of()),
        "with no tools offered there is nothing to check against");
  }

  @Test
  void wrapAppliesToEveryReplyWithTheRequestsToolsKeepsStatisticsAndClosesTheAgent() throws Exception {
    AtomicBoolean closed = new AtomicBoolean();
    record Stats(int requests) {}
    class Inner implements Agent, AgentStatistics {
      @Override
      public CompletionStage<AgentResponse> act(AgentRequest request) {
        return CompletableFuture.completedFuture(reply("<tool_call>{\"name\": \"search\", \"arguments\": {}}</tool_call>"));
      }

      @Override
      public Record statistics() {
        return new Stats(1);
      }

      @Override
      public void close() {
        closed.set(true);
      }
    }
    Agent wrapped = HERMES_FAIL.wrap(new Inner());
    AgentRequest request = new AgentRequest("e", Task.generated("t", 1), 1, 0, List.of(Message.user("go")), SEARCH);
    AgentResponse r = wrapped.act(request).toCompletableFuture().get();
    assertTrue(assertInstanceOf(AgentResponse.Failure.class, r).reason().contains("required property 'q' not found"));
    assertEquals(new Stats(1), assertInstanceOf(AgentStatistics.class, wrapped).statistics());
    wrapped.close();
    assertTrue(closed.get());
    Agent plain = req -> CompletableFuture.completedFuture(reply("x"));
    assertSame(plain, TextToolCalls.none().wrap(plain), "none wraps nothing");
  }

  @Test
  void badOptionsAreRejectedNamingTheAllowedValues() {
    assertEquals("textToolCalls must be one of none, hermes, json, was 'xml'", assertThrows(
        IllegalArgumentException.class, () -> TextToolCalls.fromOptions("t", "xml", "fail")).getMessage());
    assertEquals("invalidToolArguments must be one of fail, pass, was 'drop'", assertThrows(
        IllegalArgumentException.class, () -> TextToolCalls.fromOptions("t", "hermes", "drop")).getMessage());
    assertEquals(List.of("none", "hermes", "json"), TextToolCalls.OPTIONS);
  }
}
