package dev.ludus.examples;

// readme:start
import dev.ludus.api.*;
import java.util.*;
import java.util.concurrent.*;

/** Name a country's capital; the answers are looked up off the event loop in a key shared by the run. */
public final class CapitalQuiz implements EnvironmentProvider<NoConfig> {
  /** Stands in for a database, an index or a model: opened once per run, closed when the run ends. */
  static final class AnswerKey implements AutoCloseable {
    final SortedMap<String, String> capitals = new TreeMap<>(Map.of("France", "Paris", "Kenya", "Nairobi"));
    String lookup(String country) { return capitals.get(country); } // imagine a blocking query
    public void close() { capitals.clear(); }
  }
  public String name() { return "capital-quiz"; }
  public String description() { return "name the capital of a country"; }
  public Class<NoConfig> configType() { return NoConfig.class; }
  public NoConfig defaultConfig() { return NoConfig.INSTANCE; }
  public Set<SignalKey<?>> signals() { return Set.of(StandardSignals.SUCCESS); }
  public Agent randomAgent(NoConfig c) {
    return r -> CompletableFuture.completedFuture(
        AgentResponse.reply(Message.assistant(Math.floorMod(r.seed(), 2) == 0 ? "Paris" : "Rome")));
  }

  public AnyEnvironment create(NoConfig c, PluginContext context) {
    AnswerKey key = context.shared("capital-quiz/key", AnswerKey.class, AnswerKey::new);
    return new AsyncEnvironment() {
      String country;
      public CompletionStage<Reset> reset(Task task, long seed) {
        country = new ArrayList<>(key.capitals.keySet()).get(Math.floorMod(task.seed(), key.capitals.size()));
        return CompletableFuture.completedFuture(Reset.of(List.of(Message.user("The capital of " + country + "?"))));
      }
      public CompletionStage<StepResult> step(Message action) {
        return context.blocking(() -> key.lookup(country)).thenApply(capital -> {
          boolean won = action.content().trim().equalsIgnoreCase(capital);
          return new StepResult(List.of(Message.user(won ? "Right." : "It is " + capital + ".")), won ? 1 : 0, true,
              false, Signals.of(StandardSignals.SUCCESS, won));
        });
      }
    };
  }
}
// readme:end
