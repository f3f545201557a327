package dev.ludus.examples;

// readme:start
import dev.ludus.api.*;
import java.util.*;
import java.util.concurrent.CompletableFuture;

/** Find a hidden digit; the environment answers "warmer" or "colder". */
public final class HotCold implements EnvironmentProvider<HotCold.Config> {
  public record Config(int maxTurns) {}
  static final SignalKey<Integer> DISTANCE = SignalKey.of("distance", Integer.class);
  static final class Game implements Environment {
    private final int maxTurns;
    private int target, last = 10, turn;
    Game(int maxTurns) { this.maxTurns = maxTurns; }
    public Reset reset(Task task, long seed) {
      target = (int) (task.seed() % 10); last = 10; turn = 0;
      return Reset.of(List.of(Message.user("Guess my digit (0-9).")));
    }
    public StepResult step(Message action) {
      turn++;
      String text = action.content().replaceAll("\\D", "");
      if (text.length() != 1) {
        return StepResult.next(Message.user("Say one digit, 0-9."),
            Signals.of(StandardSignals.INVALID_ACTION, "not a single digit"));
      }
      int d = Math.abs(Integer.parseInt(text) - target), before = last;
      last = d;
      boolean won = d == 0, out = !won && turn >= maxTurns;
      Signals s = Signals.builder().put(DISTANCE, d).put(StandardSignals.SUCCESS, won).build();
      String say = won ? "Yes!" : d < before ? "warmer" : "colder";
      return new StepResult(List.of(Message.user(say)), won ? 1 : 0, won, out, s);
    }
  }
  public String name() { return "hot-cold"; }
  public String description() { return "find a hidden digit by warmer/colder"; }
  public Class<Config> configType() { return Config.class; }
  public Config defaultConfig() { return new Config(10); }
  public AnyEnvironment create(Config c) { return new Game(c.maxTurns()); }
  public Set<SignalKey<?>> signals() { return Set.of(DISTANCE, StandardSignals.INVALID_ACTION, StandardSignals.SUCCESS); }
  public Agent randomAgent(Config c) {
    return r -> CompletableFuture.completedFuture(AgentResponse.reply(
        Message.assistant(String.valueOf(new SplittableRandom(Seeds.mix(r.seed(), r.turn())).nextInt(10)))));
  }
}
// readme:end
