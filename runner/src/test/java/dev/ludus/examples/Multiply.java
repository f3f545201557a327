package dev.ludus.examples;

// readme:start
import dev.ludus.api.*;
import dev.ludus.api.tools.*;
import java.util.*;
import java.util.concurrent.*;

/** "What is a times b?", with a calculator tool; the answer is the number. */
public final class Multiply implements EnvironmentProvider<NoConfig> {
  static final Tool MULTIPLY = Tool.of("multiply", "Multiplies two integers", """
      {"type": "object", "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}}, "required": ["a", "b"]}""",
      args -> String.valueOf(args.get("a").asLong() * args.get("b").asLong()));
  static final ToolDispatcher TOOLS = ToolDispatcher.of(MULTIPLY); // native tool_calls or <tool_call> text
  static final class Game implements AsyncEnvironment {
    private long answer;
    private int turn;
    public CompletionStage<Reset> reset(Task task, long seed) {
      SplittableRandom r = new SplittableRandom(task.seed());
      long a = 100 + r.nextInt(900), b = 100 + r.nextInt(900);
      answer = a * b; turn = 0;
      Message ask = Message.user("What is " + a + " times " + b + "? Answer with the number.");
      return CompletableFuture.completedFuture(new Reset(List.of(ask), TOOLS.specs(), Signals.empty()));
    }
    public CompletionStage<StepResult> step(Message action) {
      turn++;
      return TOOLS.dispatch(action).thenApply(d -> { // tool messages, tool-call-valid, tool-error
        if (d.called()) return new StepResult(d.messages(), 0, false, turn >= 5, d.signals());
        boolean won = action.content().strip().equals(String.valueOf(answer));
        return new StepResult(List.of(Message.user(won ? "Right." : "Wrong.")), won ? 1 : 0, true, false,
            Signals.of(StandardSignals.SUCCESS, won));
      });
    }
  }
  public String name() { return "multiply"; }
  public String description() { return "multiply two numbers with a calculator tool"; }
  public Class<NoConfig> configType() { return NoConfig.class; }
  public NoConfig defaultConfig() { return NoConfig.INSTANCE; }
  public AnyEnvironment create(NoConfig c) { return new Game(); }
  public Set<SignalKey<?>> signals() {
    return Set.of(StandardSignals.TOOL_CALL_VALID, StandardSignals.TOOL_ERROR, StandardSignals.SUCCESS);
  }
  public Agent randomAgent(NoConfig c) {
    return r -> {
      SplittableRandom rnd = new SplittableRandom(Seeds.mix(r.seed(), r.turn()));
      String args = "{\"a\": " + rnd.nextInt(1000) + ", \"b\": " + rnd.nextInt(1000) + "}";
      return CompletableFuture.completedFuture(AgentResponse.reply(rnd.nextBoolean()
          ? Message.assistant("", List.of(ToolCall.of("call-" + r.turn(), "multiply", args)))
          : Message.assistant(String.valueOf(rnd.nextInt(1_000_000)))));
    };
  }
}
// readme:end
