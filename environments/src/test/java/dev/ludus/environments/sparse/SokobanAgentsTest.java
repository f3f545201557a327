package dev.ludus.environments.sparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.Message;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.Task;
import dev.ludus.api.testing.EnvTestKit;
import dev.ludus.api.testing.EnvTestKit.Played;
import dev.ludus.environments.text.ActionText.Direction;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class SokobanAgentsTest {
  private static final SokobanProvider PROVIDER = new SokobanProvider();

  private static String say(Agent agent, Task task, long seed, int turn) {
    AgentResponse r = agent.act(new AgentRequest("e", task, seed, turn, List.of(Message.user("go")), List.of()))
        .toCompletableFuture().join();
    return ((AgentResponse.Reply) r).message().content();
  }

  private static void assertSolvesOptimally(BoundEnvironment env, Agent oracle, long runSeed, long index) {
    Task task = env.tasks().task(index, runSeed);
    Played p = EnvTestKit.play(env, oracle, task, index, 1_000);
    assertTrue(p.succeeded(), () -> "not solved: " + task + "\n" + p.reset().observation().get(1).content());
    assertEquals(p.reset().signals().get(SokobanProvider.OPTIMAL_MOVES).orElseThrow(), p.actions().size(),
        () -> "the oracle's solution is not a shortest one on " + task);
    assertTrue(!p.anyInvalid());
  }

  @Test
  void theOracle_solvesEverySeedTried_inTheFewestMoves() {
    BoundEnvironment env = PROVIDER.bind(SokobanConfig.defaults());
    Agent oracle = env.oracle().orElseThrow();
    for (long i = 0; i < 100; i++) {
      assertSolvesOptimally(env, oracle, 42, i);
    }
  }

  @Test
  void theOracle_solvesTwoBoxLevels() {
    BoundEnvironment env = PROVIDER.bind(new SokobanConfig(6, 6, 2, 20, 30));
    Agent oracle = env.oracle().orElseThrow();
    for (long i = 0; i < 30; i++) {
      assertSolvesOptimally(env, oracle, 7, i);
    }
  }

  @Test
  void theOracle_solvesALevelWrittenInTheTask() {
    BoundEnvironment env = PROVIDER.bind(SokobanConfig.defaults());
    Task task = SokobanEnvironmentTest.level("wall", SokobanEnvironmentTest.BOX_BY_WALL);
    Played p = EnvTestKit.play(env, env.oracle().orElseThrow(), task, 0, 100);
    assertTrue(p.succeeded());
    assertEquals(8, p.actions().size());
  }

  @Test
  void theOracle_takesOverAfterOtherMoves_whenTheLevelIsStillSolvable() {
    SokobanConfig config = SokobanConfig.defaults();
    BoundEnvironment env = PROVIDER.bind(config);
    Agent oracle = env.oracle().orElseThrow();
    Agent random = env.randomAgent();
    Agent mixed = request -> (request.turn() < 4 ? random : oracle).act(request);
    int checked = 0;
    for (long i = 0; i < 40; i++) {
      Task task = env.tasks().task(i, 9);
      Played prefix = EnvTestKit.play(env, random, task, i, 4);
      if (prefix.ended()) {
        continue;
      }
      SokobanGame game = new SokobanGame(SokobanEnvironment.level(config, task));
      for (Message m : prefix.actions()) {
        game.move(SokobanText.parseMove(m).orElseThrow());
      }
      var rest = SokobanSolver.solve(game.level(), game.player(), game.boxes(), SokobanSolver.DEFAULT_MAX_STATES);
      if (rest.isEmpty() || rest.get().size() > config.maxTurns() - 4) {
        continue;
      }
      checked++;
      Played p = EnvTestKit.play(env, mixed, task, i, 1_000);
      assertTrue(p.succeeded(), "oracle did not finish " + task);
      assertEquals(4 + rest.get().size(), p.actions().size(), "oracle took a longer way on " + task);
    }
    assertTrue(checked >= 20, "too few solvable prefixes to say anything: " + checked);
  }

  @Test
  void theOracle_canBeSharedAcrossConcurrentEpisodes() {
    BoundEnvironment env = PROVIDER.bind(SokobanConfig.defaults());
    Agent oracle = env.oracle().orElseThrow();
    long solved = LongStream.range(0, 80).parallel()
        .filter(i -> EnvTestKit.play(env, oracle, env.tasks().task(i % 70, 5), i, 100).succeeded())
        .count();
    assertEquals(80, solved);
  }

  @Test
  void theRandomAgent_isDeterministicPerSeedAndTurn_andUsesEveryMove() {
    Agent random = PROVIDER.randomAgent(SokobanConfig.defaults());
    Task task = Task.generated("sokoban", 1);
    Set<Direction> seen = EnumSet.noneOf(Direction.class);
    for (int turn = 0; turn < 40; turn++) {
      String move = say(random, task, 11, turn);
      assertEquals(move, say(random, task, 11, turn));
      seen.add(Direction.valueOf(move.toUpperCase(java.util.Locale.ROOT)));
    }
    assertEquals(EnumSet.allOf(Direction.class), seen);
  }

  @Test
  void theRandomAgent_rarelySolvesALevel() {
    BoundEnvironment env = PROVIDER.bind(SokobanConfig.defaults());
    int solved = 0;
    for (long i = 0; i < 30; i++) {
      Played p = EnvTestKit.play(env, env.randomAgent(), env.tasks().task(i, 1), i, 100);
      assertTrue(p.ended());
      if (p.succeeded()) {
        solved++;
      } else {
        assertTrue(p.last().truncated());
        assertEquals(false, p.last().signals().get(StandardSignals.SUCCESS).orElseThrow());
      }
    }
    assertTrue(solved <= 6, "the random agent solved " + solved + " of 30: levels are too easy");
  }
}
