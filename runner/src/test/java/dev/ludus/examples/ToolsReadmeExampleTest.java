package dev.ludus.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.EnvChecker;
import dev.ludus.api.Message;
import dev.ludus.api.NoConfig;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.Task;
import dev.ludus.api.ToolCall;
import dev.ludus.api.testing.EnvTestKit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's tool-use example works (ReadmeExamplesTest checks that the README shows it verbatim). */
class ToolsReadmeExampleTest {
  private static final BoundEnvironment MULTIPLY = new Multiply().bind(NoConfig.INSTANCE);

  @Test
  void theMultiplyEnvironmentPassesTheEnvironmentChecker() {
    EnvChecker.check(MULTIPLY).assertPassed();
  }

  @Test
  void aNativeOrHermesCallGetsTheProductAndSayingItWins() {
    Task task = Task.generated("multiply", 3);
    String question = EnvTestKit.replay(MULTIPLY, task, 0, List.of()).reset().observation().get(0).content();
    String[] w = question.split(" ");
    long a = Long.parseLong(w[2]), b = Long.parseLong(w[4].replace("?", ""));
    String args = "{\"a\": " + a + ", \"b\": " + b + "}";
    EnvTestKit.Played p = EnvTestKit.replay(MULTIPLY, task, 0, List.of(
        Message.assistant("", List.of(ToolCall.of("x1", "multiply", args))),
        Message.assistant("<tool_call>{\"name\": \"multiply\", \"arguments\": " + args + "}</tool_call>"),
        Message.assistant("", List.of(ToolCall.of("x3", "multiply", "{\"a\": \"many\"}"))),
        Message.assistant(String.valueOf(a * b))));
    assertEquals(List.of(Message.toolResult("x1", "multiply", String.valueOf(a * b))), p.steps().get(0).observation());
    assertEquals(List.of(Message.toolResult("call_0", "multiply", String.valueOf(a * b))),
        p.steps().get(1).observation());
    assertEquals(false, p.steps().get(2).signals().get(StandardSignals.TOOL_CALL_VALID).orElseThrow());
    assertTrue(p.steps().get(2).signals().get(StandardSignals.TOOL_ERROR).orElseThrow()
        .startsWith("invalid-arguments: the arguments of 'multiply' break its schema"));
    assertTrue(p.succeeded());
  }
}
