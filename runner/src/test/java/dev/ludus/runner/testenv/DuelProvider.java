package dev.ludus.runner.testenv;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.AnyMultiAgentEnvironment;
import dev.ludus.api.AsyncMultiAgentEnvironment;
import dev.ludus.api.MatchStart;
import dev.ludus.api.MatchStep;
import dev.ludus.api.Message;
import dev.ludus.api.MultiAgentEnvironment;
import dev.ludus.api.MultiAgentEnvironmentProvider;
import dev.ludus.api.SeatStart;
import dev.ludus.api.SeatStep;
import dev.ludus.api.SignalKey;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.Task;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * {@code test-duel} (not registered): two seats, {@code left} and {@code right}, move at once each round for
 * {@code rounds} rounds; each sees what the other said, gets reward 1 per round, and holds a secret word (its
 * private view). Switches: answer asynchronously after a delay, throw at a round.
 */
public final class DuelProvider implements MultiAgentEnvironmentProvider<DuelProvider.Config> {
  public static final SignalKey<String> WORD = SignalKey.secret("word", String.class);
  public static final SignalKey<Integer> ROUND = SignalKey.of("round", Integer.class);
  static final List<String> WORDS = List.of("amber", "basalt", "cobalt", "dune", "ember", "fjord");

  /**
   * @param rounds rounds until the match terminates with success
   * @param asyncDelayMillis if above 0, be asynchronous, completing each step after this delay
   * @param failAtRound throw in this round (from 1; 0: never)
   */
  public record Config(int rounds, long asyncDelayMillis, int failAtRound) {}

  @Override
  public String name() {
    return "test-duel";
  }

  @Override
  public String description() {
    return "two seats move at once for N rounds";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return new Config(3, 0, 0);
  }

  @Override
  public List<String> seats(Config config) {
    return List.of("left", "right");
  }

  @Override
  public Set<SignalKey<?>> signals() {
    return Set.of(WORD, ROUND, StandardSignals.SUCCESS);
  }

  @Override
  public Agent randomAgent(Config config) {
    return r -> CompletableFuture.completedFuture(AgentResponse.reply(Message.assistant("move " + r.turn())));
  }

  /** The secret word of {@code seat} in a match on {@code task}. */
  public static String word(Task task, String seat) {
    return WORDS.get((int) Math.floorMod(task.seed() + (seat.equals("left") ? 0 : 3), WORDS.size()));
  }

  @Override
  public AnyMultiAgentEnvironment create(Config config) {
    Duel sync = new Duel(config);
    if (config.asyncDelayMillis() <= 0) {
      return sync;
    }
    Executor later = CompletableFuture.delayedExecutor(config.asyncDelayMillis(), TimeUnit.MILLISECONDS);
    return new AsyncMultiAgentEnvironment() {
      @Override
      public CompletionStage<MatchStart> reset(Task task, long seed) {
        return CompletableFuture.supplyAsync(() -> sync.reset(task, seed), later);
      }

      @Override
      public CompletionStage<MatchStep> step(Map<String, Message> moves) {
        return CompletableFuture.supplyAsync(() -> sync.step(moves), later);
      }
    };
  }

  private static final class Duel implements MultiAgentEnvironment {
    private final Config config;
    private int round;

    Duel(Config config) {
      this.config = config;
    }

    @Override
    public MatchStart reset(Task task, long seed) {
      round = 0;
      return new MatchStart(Map.of(
          "left", new SeatStart(List.of(Message.user("you are left")), List.of(), Map.of("word", word(task, "left")),
              Signals.of(WORD, word(task, "left"))),
          "right", new SeatStart(List.of(Message.user("you are right")), List.of(), Map.of("word", word(task, "right")),
              Signals.of(WORD, word(task, "right")))), Set.of("left", "right"));
    }

    @Override
    public MatchStep step(Map<String, Message> moves) {
      round++;
      if (round == config.failAtRound()) {
        throw new IllegalStateException("deliberate failure in round " + round);
      }
      boolean end = round >= config.rounds();
      Signals.Builder s = Signals.builder().put(ROUND, round);
      if (end) {
        s.put(StandardSignals.SUCCESS, true);
      }
      Map<String, SeatStep> out = Map.of(
          "left", new SeatStep(List.of(Message.user("right said " + moves.get("right").content())), 1, s.build()),
          "right", new SeatStep(List.of(Message.user("left said " + moves.get("left").content())), 1, s.build()));
      return new MatchStep(out, Set.of("left", "right"), end, false);
    }
  }
}
