package dev.ludus.environments.sparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.Message;
import dev.ludus.api.Task;
import dev.ludus.api.testing.EnvTestKit;
import dev.ludus.api.testing.EnvTestKit.Played;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The board worlds declare {@code oracleActsFromAnyState} (so DAgger may label a policy's own states): after two
 * turns of the random agent, the oracle takes over from wherever those moves led and wins every episode still
 * winnable. An oracle that tracked only its own moves would plan from the wrong square.
 */
class OracleFromAnyStateTest {
  private static final int OTHERS = 2;

  /** The random agent for the first {@value #OTHERS} turns, then the oracle. */
  private static Agent mixed(BoundEnvironment env) {
    Agent random = env.randomAgent();
    Agent oracle = env.oracle().orElseThrow();
    return request -> request.turn() < OTHERS ? random.act(request) : oracle.act(request);
  }

  private static String first(Agent agent, Task task, long seed) {
    AgentResponse r = agent.act(new AgentRequest("e", task, seed, 0, List.of(Message.user("go")), List.of()))
        .toCompletableFuture().join();
    return ((AgentResponse.Reply) r).message().content();
  }

  /** Plays 60 seeds; returns {winnable after the random turns, won among them, first moves unlike the oracle's}. */
  private static int[] play(BoundEnvironment env, String name, int maxTurns) {
    assertTrue(env.oracleActsFromAnyState(), name);
    Agent agent = mixed(env);
    int alive = 0;
    int won = 0;
    int different = 0;
    for (long seed = 0; seed < 60; seed++) {
      Task task = Task.generated(name, seed);
      Played p = EnvTestKit.play(env, agent, task, seed, maxTurns);
      if (!first(env.randomAgent(), task, seed).equals(first(env.oracle().orElseThrow(), task, seed))) {
        different++;
      }
      if (p.steps().size() > OTHERS || p.succeeded()) {
        alive++;
        won += p.succeeded() ? 1 : 0;
      }
    }
    return new int[] {alive, won, different};
  }

  @Test
  void frozenLakeOracleWinsFromWhereverTheRandomMovesLed() {
    FrozenLakeConfig firm = FrozenLakeConfig.defaults();
    FrozenLakeConfig config = new FrozenLakeConfig(firm.size(), firm.holeProbability(), false, 100);
    int[] r = play(new FrozenLakeProvider().bind(config), "frozen-lake", 100);
    assertTrue(r[2] >= 20, "the random turns leave the oracle's path: " + r[2] + " of 60 first moves differ");
    assertEquals(r[0], r[1], "every lake still alive after the random turns is won");
  }

  @Test
  void gridworldOracleWinsFromWhereverTheRandomActionsLed() {
    GridworldConfig d = GridworldConfig.defaults();
    GridworldConfig config = new GridworldConfig(d.width(), d.height(), d.view(), 200);
    int[] r = play(new GridworldProvider().bind(config), "gridworld", 200);
    assertTrue(r[2] >= 20, "the random turns leave the oracle's path: " + r[2] + " of 60 first actions differ");
    assertEquals(r[0], r[1], "every level is still won after the random turns");
  }

  @Test
  void sokobanOracleSearchesAgainFromWhereverTheRandomMovesLed() {
    SokobanConfig config = new SokobanConfig(4, 4, 1, 6, 60);
    int[] r = play(new SokobanProvider().bind(config), "sokoban", 60);
    assertTrue(r[2] >= 20, "the random turns leave the oracle's path: " + r[2] + " of 60 first moves differ");
    // a random push may wedge the box in a corner, which no agent can undo; the rest must be won
    assertTrue(r[1] >= 0.8 * r[0], "won " + r[1] + " of " + r[0] + " rooms after two random moves");
  }
}
