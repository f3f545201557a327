package dev.ludus.api.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Message;
import dev.ludus.api.Role;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.ToolCall;
import dev.ludus.api.ToolSpec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ToolDispatcherTest {
  static final String TWO_INTS = "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"},"
      + "\"b\":{\"type\":\"integer\"}},\"required\":[\"a\",\"b\"],\"additionalProperties\":false}";
  static final Tool ADD = Tool.of("add", "Adds two integers", TWO_INTS,
      args -> String.valueOf(args.get("a").asLong() + args.get("b").asLong()));
  static final Tool DIV = Tool.of("div", "Divides a by b", TWO_INTS,
      args -> String.valueOf(args.get("a").asLong() / args.get("b").asLong()));

  private final ExecutorService executor = Executors.newCachedThreadPool();

  @AfterEach
  void shutdown() {
    executor.shutdownNow();
  }

  static ToolDispatch await(CompletionStage<ToolDispatch> stage) {
    try {
      return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("dispatch did not complete normally: " + e, e);
    }
  }

  static Message calls(ToolCall... calls) {
    return Message.assistant("", List.of(calls));
  }

  @Test
  void aNativeCallBecomesAToolMessageAnsweringItsIdWithTheValidSignal() {
    ToolDispatch d = await(ToolDispatcher.of(ADD, DIV).dispatch(calls(ToolCall.of("c7", "add", "{\"a\": 2, \"b\": 40}"))));
    assertEquals(List.of(Message.toolResult("c7", "add", "42")), d.messages());
    assertTrue(d.called() && d.valid());
    assertEquals(Signals.of(StandardSignals.TOOL_CALL_VALID, true), d.signals());
    assertEquals(Optional.empty(), d.outcomes().get(0).error());
  }

  @Test
  void hermesTextCallsGetTheIdsCall0Call1InTextOrder() {
    Message m = Message.assistant("Let me add.\n<tool_call>{\"name\": \"add\", \"arguments\": {\"a\": 1, \"b\": 2}}</tool_call>"
        + "\n<tool_call>{\"name\": \"div\", \"arguments\": {\"a\": 9, \"b\": 3}}</tool_call>");
    ToolDispatch d = await(ToolDispatcher.of(ADD, DIV).dispatch(m));
    assertEquals(List.of(Message.toolResult("call_0", "add", "3"), Message.toolResult("call_1", "div", "3")),
        d.messages());
    assertTrue(d.valid());
  }

  @Test
  void jsonTextCallsAreReadWhenTheDispatcherIsToldTheJsonFormat() {
    ToolDispatcher tools = ToolDispatcher.builder().tool(ADD).textCalls(ToolCallParser.json()).build();
    ToolDispatch d = await(tools.dispatch(Message.assistant("{\"name\": \"add\", \"arguments\": {\"a\": 1, \"b\": 1}}")));
    assertEquals(List.of(Message.toolResult("call_0", "add", "2")), d.messages());
    assertFalse(await(ToolDispatcher.of(ADD).dispatch(Message.assistant("{\"name\": \"add\", \"arguments\": {}}")))
        .called(), "the default hermes format does not read bare JSON");
  }

  @Test
  void aMessageWithoutCallsIsTheAgentsAnswerWithNoMessagesAndNoSignals() {
    ToolDispatch d = await(ToolDispatcher.of(ADD).dispatch(Message.assistant("The answer is 42.")));
    assertFalse(d.called());
    assertEquals(List.of(), d.messages());
    assertEquals(Signals.empty(), d.signals());
  }

  @Test
  void nativeOnlyLeavesTextCallsAlone() {
    ToolDispatcher tools = ToolDispatcher.builder().tool(ADD).nativeOnly().build();
    assertFalse(await(tools.dispatch(Message.assistant(
        "<tool_call>{\"name\": \"add\", \"arguments\": {\"a\": 1, \"b\": 1}}</tool_call>"))).called());
    assertEquals(Optional.empty(), tools.textFormat());
  }

  @Test
  void anUnknownToolIsAnsweredWithAnErrorListingTheKnownTools() {
    ToolDispatch d = await(ToolDispatcher.of(ADD, DIV).dispatch(calls(ToolCall.of("c1", "mul", "{}"))));
    String detail = "unknown tool 'mul'; known tools: add, div";
    assertEquals(List.of(Message.toolResult("c1", "mul", "Error: " + detail)), d.messages());
    assertEquals(Signals.builder().put(StandardSignals.TOOL_CALL_VALID, false)
        .put(StandardSignals.TOOL_ERROR, "unknown-tool: " + detail).build(), d.signals());
  }

  @Test
  void malformedNativeArgumentsAreAMalformedCall() {
    ToolDispatch d = await(ToolDispatcher.of(ADD).dispatch(calls(ToolCall.of("c1", "add", "{\"a\": 1,"))));
    assertEquals(ToolError.Kind.MALFORMED_CALL, d.errors().get(0).kind());
    assertTrue(d.signals().get(StandardSignals.TOOL_ERROR).orElseThrow().startsWith("malformed-call: the arguments of 'add'"),
        d.signals().toString());
    assertFalse(d.valid());
  }

  @Test
  void argumentsBreakingTheSchemaNameTheFieldAndNeverReachTheTool() {
    List<String> seen = new CopyOnWriteArrayList<>();
    Tool add = Tool.of("add", "", TWO_INTS, args -> {
      seen.add(args.toString());
      return "ran";
    });
    ToolDispatch d = await(ToolDispatcher.of(add).dispatch(calls(ToolCall.of("c1", "add", "{\"a\": \"two\"}"))));
    String reason = d.signals().get(StandardSignals.TOOL_ERROR).orElseThrow();
    assertTrue(reason.startsWith("invalid-arguments: the arguments of 'add' break its schema: "), reason);
    assertTrue(reason.contains("required property 'b' not found"), reason);
    assertTrue(reason.contains("at /a: string found, integer expected"), reason);
    assertEquals(List.of(), seen, "an invalid call never runs");
    assertFalse(d.valid());
  }

  @Test
  void unreadableTextCallsAreAnsweredByAUserMessageSayingWhatIsWrong() {
    ToolDispatch d = await(ToolDispatcher.of(ADD).dispatch(Message.assistant(
        "<tool_call>{\"name\": \"add\", \"arguments\": {\"a\": }}</tool_call>")));
    assertTrue(d.called());
    assertFalse(d.valid());
    assertEquals(1, d.messages().size());
    assertEquals(Role.USER, d.messages().get(0).role());
    assertTrue(d.messages().get(0).content().contains("is not valid JSON"), d.messages().get(0).content());
    assertTrue(d.messages().get(0).content().contains("<tool_call>{\"name\""), "says how to write a call");
    assertTrue(d.signals().get(StandardSignals.TOOL_ERROR).orElseThrow().startsWith("malformed-call: <tool_call> at offset 0"));
  }

  @Test
  void aToolThatThrowsOrFailsIsAToolFailureOfAValidCall() {
    Tool sad = new Tool() {
      public ToolSpec spec() {
        return new ToolSpec("sad", "", null);
      }

      public CompletionStage<ToolResult> call(com.fasterxml.jackson.databind.node.ObjectNode arguments) {
        return CompletableFuture.completedFuture(ToolResult.failure("the account is closed"));
      }
    };
    ToolDispatch d = await(ToolDispatcher.of(DIV, sad).dispatch(calls(
        ToolCall.of("c1", "div", "{\"a\": 1, \"b\": 0}"), ToolCall.of("c2", "sad", "{}"))));
    assertEquals("Error: 'div': / by zero", d.messages().get(0).content());
    assertEquals("Error: 'sad': the account is closed", d.messages().get(1).content());
    assertTrue(d.valid(), "the calls were valid; the tools failed");
    assertEquals("tool-failed: 'div': / by zero; tool-failed: 'sad': the account is closed",
        d.signals().get(StandardSignals.TOOL_ERROR).orElseThrow());
  }

  @Test
  void aSlowToolTimesOutAndIsCancelledWithoutBlockingTheCaller() {
    CompletableFuture<ToolResult> never = new CompletableFuture<>();
    Tool slow = new Tool() {
      public ToolSpec spec() {
        return new ToolSpec("slow", "", null);
      }

      public CompletionStage<ToolResult> call(com.fasterxml.jackson.databind.node.ObjectNode arguments) {
        return never;
      }
    }.withTimeLimit(Duration.ofMillis(50));
    CompletionStage<ToolDispatch> stage = ToolDispatcher.of(slow, ADD).dispatch(calls(ToolCall.of("c1", "slow", "{}"),
        ToolCall.of("c2", "add", "{\"a\": 1, \"b\": 1}")));
    assertFalse(stage.toCompletableFuture().isDone(), "dispatch returns before the tool answers");
    ToolDispatch d = await(stage);
    assertEquals(List.of(Message.toolResult("c1", "slow", "Error: 'slow' did not answer within 50 ms"),
        Message.toolResult("c2", "add", "2")), d.messages());
    assertEquals("timeout: 'slow' did not answer within 50 ms", d.signals().get(StandardSignals.TOOL_ERROR).orElseThrow());
    assertTrue(d.valid());
    assertTrue(never.isCancelled(), "the timed-out call's stage is cancelled");
  }

  @Test
  void aBlockingToolRunsOnItsExecutorAndIsInterruptedAtItsTimeLimit() throws Exception {
    CountDownLatch interrupted = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
    Tool sleepy = Tool.blocking(new ToolSpec("sleepy", "", null), executor, args -> {
      started.set(true);
      try {
        Thread.sleep(60_000);
        return "woke";
      } catch (InterruptedException e) {
        interrupted.countDown();
        throw e;
      }
    }).withTimeLimit(Duration.ofMillis(50));
    Tool where = Tool.blocking(new ToolSpec("where", "", null), executor, args -> Thread.currentThread().getName());
    ToolDispatch d = await(ToolDispatcher.of(sleepy, where).dispatch(calls(ToolCall.of("c1", "sleepy", "{}"),
        ToolCall.of("c2", "where", "{}"))));
    assertEquals(ToolError.Kind.TIMEOUT, d.errors().get(0).kind());
    // under load the time limit can pass before the executor starts the body: then it must never start it
    assertTrue(interrupted.await(5, TimeUnit.SECONDS) || !started.get(), "the body was started and not interrupted");
    assertFalse(d.messages().get(1).content().equals(Thread.currentThread().getName()), "ran on the executor");
  }

  @Test
  void callsRunOneAfterAnotherByDefaultAndAtOnceWhenConcurrent() {
    for (boolean concurrent : new boolean[] {false, true}) {
      List<String> events = new CopyOnWriteArrayList<>();
      Tool first = new Tool() {
        public ToolSpec spec() {
          return new ToolSpec("first", "", null);
        }

        public CompletionStage<ToolResult> call(com.fasterxml.jackson.databind.node.ObjectNode arguments) {
          events.add("first started");
          return CompletableFuture.supplyAsync(() -> {
            events.add("first done");
            return ToolResult.success("1");
          }, CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS));
        }
      };
      Tool second = Tool.of("second", "", null, args -> {
        events.add("second ran");
        return "2";
      });
      ToolDispatcher.Builder b = ToolDispatcher.builder().tool(first).tool(second);
      ToolDispatch d = await((concurrent ? b.concurrent() : b).build().dispatch(calls(
          ToolCall.of("a", "first", "{}"), ToolCall.of("b", "second", "{}"))));
      assertEquals(List.of("1", "2"), d.messages().stream().map(Message::content).toList(), "results in call order");
      assertEquals(concurrent ? List.of("first started", "second ran", "first done")
          : List.of("first started", "first done", "second ran"), events, concurrent ? "concurrent" : "in order");
    }
  }

  @Test
  void oneBadCallDoesNotStopTheOthers() {
    ToolDispatch d = await(ToolDispatcher.of(ADD).dispatch(calls(ToolCall.of("x", "nope", "{}"),
        ToolCall.of("y", "add", "{\"a\": 3, \"b\": 4}"))));
    assertEquals("7", d.messages().get(1).content());
    assertTrue(d.outcomes().get(1).succeeded());
    assertFalse(d.valid());
  }

  @Test
  void toolNamesMustBeUniqueAndTimeLimitsPositive() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ToolDispatcher.of(ADD, ADD));
    assertEquals("two tools are named 'add'; tool names must be unique", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ADD.withTimeLimit(Duration.ZERO));
    assertEquals(Tool.DEFAULT_TIME_LIMIT, ADD.timeLimit());
    assertEquals(List.of("add", "div"), ToolDispatcher.of(ADD, DIV).specs().stream().map(ToolSpec::name).toList());
  }
}
