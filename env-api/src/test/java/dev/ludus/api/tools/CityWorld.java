package dev.ludus.api.tools;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.AnyEnvironment;
import dev.ludus.api.AsyncEnvironment;
import dev.ludus.api.EnvironmentProvider;
import dev.ludus.api.Message;
import dev.ludus.api.NoConfig;
import dev.ludus.api.Reset;
import dev.ludus.api.Seeds;
import dev.ludus.api.SignalKey;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.StepResult;
import dev.ludus.api.Task;
import dev.ludus.api.ToolCall;
import dev.ludus.api.ToolSpec;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A tiny tool-use world for the tests: "what is the population of CITY times K?", answered by looking the
 * city up in a table and multiplying with a calculator, then saying the number. A third tool, {@code archive},
 * is slow: it never answers within its 30 ms limit. Everything tool-related is the {@link ToolDispatcher}.
 */
final class CityWorld implements EnvironmentProvider<NoConfig> {
  static final Map<String, Long> POPULATION = Map.of("Oslo", 709_000L, "Lima", 10_000_000L, "Quito", 2_800_000L);
  static final List<String> CITIES = List.of("Lima", "Oslo", "Quito");
  static final int MAX_TURNS = 6;

  static final Tool LOOKUP = Tool.of("population", "The population of a city",
      "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}",
      args -> {
        Long n = POPULATION.get(args.get("city").asText());
        if (n == null) {
          throw new IllegalArgumentException("no city named '" + args.get("city").asText() + "'");
        }
        return String.valueOf(n);
      });
  static final Tool CALCULATE = Tool.of("calculate", "a op b, for op one of add, sub, mul",
      "{\"type\":\"object\",\"properties\":{\"op\":{\"enum\":[\"add\",\"sub\",\"mul\"]},\"a\":{\"type\":\"integer\"},"
          + "\"b\":{\"type\":\"integer\"}},\"required\":[\"op\",\"a\",\"b\"],\"additionalProperties\":false}",
      args -> {
        long a = args.get("a").asLong();
        long b = args.get("b").asLong();
        return String.valueOf(switch (args.get("op").asText()) {
          case "add" -> a + b;
          case "sub" -> a - b;
          default -> a * b;
        });
      });
  static final Tool ARCHIVE = new Tool() {
    @Override
    public ToolSpec spec() {
      return new ToolSpec("archive", "Old census records (slow)", null);
    }

    @Override
    public CompletionStage<ToolResult> call(com.fasterxml.jackson.databind.node.ObjectNode arguments) {
      return CompletableFuture.supplyAsync(() -> ToolResult.success("1900: nobody counted"),
          CompletableFuture.delayedExecutor(5, TimeUnit.SECONDS));
    }
  }.withTimeLimit(Duration.ofMillis(30));
  static final ToolDispatcher TOOLS = ToolDispatcher.of(LOOKUP, CALCULATE, ARCHIVE);

  static String city(Task task) {
    return CITIES.get(Math.floorMod(task.seed(), CITIES.size()));
  }

  static long factor(Task task) {
    return 2 + Math.floorMod(task.seed() / 3, 5);
  }

  static final class Game implements AsyncEnvironment {
    private long answer;
    private int turn;

    @Override
    public CompletionStage<Reset> reset(Task task, long seed) {
      answer = POPULATION.get(city(task)) * factor(task);
      turn = 0;
      String question = "What is the population of " + city(task) + " times " + factor(task) + "? Answer with the number.";
      return CompletableFuture.completedFuture(new Reset(List.of(Message.user(question)), TOOLS.specs(), Signals.empty()));
    }

    @Override
    public CompletionStage<StepResult> step(Message action) {
      turn++;
      return TOOLS.dispatch(action).thenApply(d -> {
        if (d.called()) {
          return new StepResult(d.messages(), 0, false, turn >= MAX_TURNS, d.signals());
        }
        boolean won = action.content().strip().equals(String.valueOf(answer));
        return new StepResult(List.of(Message.user(won ? "Correct." : "Wrong.")), won ? 1 : 0, true, false,
            Signals.of(StandardSignals.SUCCESS, won));
      });
    }
  }

  @Override
  public String name() {
    return "city-world";
  }

  @Override
  public String description() {
    return "look a city's population up and multiply it, with tools";
  }

  @Override
  public Class<NoConfig> configType() {
    return NoConfig.class;
  }

  @Override
  public NoConfig defaultConfig() {
    return NoConfig.INSTANCE;
  }

  @Override
  public AnyEnvironment create(NoConfig config) {
    return new Game();
  }

  @Override
  public Set<SignalKey<?>> signals() {
    Set<SignalKey<?>> keys = new HashSet<>(ToolDispatcher.SIGNALS);
    keys.add(StandardSignals.SUCCESS);
    return keys;
  }

  /** Calls a random tool with random arguments (natively or in hermes text), or answers a random number. */
  @Override
  public Agent randomAgent(NoConfig config) {
    return r -> {
      SplittableRandom rnd = new SplittableRandom(Seeds.mix(r.seed(), r.turn()));
      String city = rnd.nextInt(4) == 0 ? "Atlantis" : CITIES.get(rnd.nextInt(CITIES.size()));
      ToolCall call = switch (rnd.nextInt(8)) {
        case 0 -> ToolCall.of("r", "population", "{\"city\":\"" + city + "\"}");
        case 1 -> ToolCall.of("r", "calculate", "{\"op\":\"mul\",\"a\":" + rnd.nextInt(100) + ",\"b\":3}");
        case 2 -> ToolCall.of("r", "calculate", "{\"op\":\"pow\",\"a\":1}");
        case 3 -> ToolCall.of("r", "archive", "{}");
        default -> null;
      };
      Message m = call == null ? Message.assistant(String.valueOf(rnd.nextLong(50_000_000)))
          : rnd.nextBoolean() ? Message.assistant("", List.of(call))
          : Message.assistant(ToolCallParser.hermes().render(List.of(call)));
      return CompletableFuture.completedFuture(AgentResponse.reply(m));
    };
  }
}
