package dev.ludus.environments.sparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Agent;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.EnvChecker;
import dev.ludus.api.Message;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.StepResult;
import dev.ludus.api.Task;
import dev.ludus.api.testing.EnvTestKit;
import dev.ludus.api.testing.EnvTestKit.Played;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FrozenLakeTest {
  private static final FrozenLakeProvider PROVIDER = new FrozenLakeProvider();
  private static final FrozenLakeConfig FIRM = FrozenLakeConfig.defaults();
  private static final FrozenLakeConfig SLIPPERY = FIRM.withSlippery(true);
  private static final BoundEnvironment ENV = PROVIDER.bind(FIRM);

  private static Task task(long seed) {
    return Task.generated("frozen-lake", seed);
  }

  @Test
  void oracleReachesTheGoalOnEveryFirmLakeByAShortestPath() {
    for (FrozenLakeConfig config : List.of(FIRM, new FrozenLakeConfig(8, 0.35, false, 100))) {
      BoundEnvironment env = PROVIDER.bind(config);
      Agent oracle = env.oracle().orElseThrow();
      for (long seed = 0; seed < 100; seed++) {
        Played p = EnvTestKit.play(env, oracle, task(seed), seed, config.maxTurns());
        assertTrue(p.succeeded(), config + " seed " + seed);
        assertEquals(1.0, p.totalReward());
        assertEquals(p.reset().signals().get(SparseSignals.STEPS_TO_GOAL).orElseThrow(), p.steps().size(),
            config + " seed " + seed);
      }
    }
  }

  /**
   * On slippery ice the oracle wins about 91% of 4x4 episodes (Gymnasium's own 4x4 map allows at most
   * 82%); the random agent about 13%. The rate must also match what value iteration predicts for the
   * same lakes, which checks that the slips follow the model.
   */
  @Test
  void oracleReachesTheGoalOnSlipperyIceAsOftenAsValueIterationPredicts() {
    BoundEnvironment env = PROVIDER.bind(SLIPPERY);
    Agent oracle = env.oracle().orElseThrow();
    int episodes = 200;
    int wins = 0;
    double predicted = 0;
    for (long seed = 0; seed < episodes; seed++) {
      if (EnvTestKit.play(env, oracle, task(seed), 1000 + seed, SLIPPERY.maxTurns()).succeeded()) {
        wins++;
      }
      LakeMap map = LakeMap.generate(SLIPPERY.size(), SLIPPERY.holeProbability(), seed);
      predicted += FrozenLakeOracle.successWithin(map, SLIPPERY.maxTurns())[0] / episodes;
    }
    double rate = wins / (double) episodes;
    assertTrue(rate >= 0.8, "the oracle won only " + wins + " of " + episodes);
    assertEquals(predicted, rate, 0.07, "value iteration predicted " + predicted);
  }

  @Test
  void valueIterationReproducesTheKnownOptimumOfGymnasiumsSlipperyMap() {
    LakeMap gym = LakeMap.of("SFFF", "FHFH", "FFFH", "HFFG");
    assertEquals(14.0 / 17.0, FrozenLakeOracle.successWithin(gym, 5000)[0], 1e-9);
    double within100 = FrozenLakeOracle.successWithin(gym, 100)[0];
    assertTrue(within100 > 0.70 && within100 < 14.0 / 17.0, "within 100 moves: " + within100);
  }

  @Test
  void slipsGoSidewaysTwoTimesInThreeOnSlipperyIceAndNeverOnFirmIce() {
    FrozenLakeConfig noHoles = new FrozenLakeConfig(4, 0.0, true, 100);
    Map<Cell, Integer> landed = new HashMap<>();
    int n = 600;
    for (long seed = 0; seed < n; seed++) {
      try (FrozenLakeEnvironment e = new FrozenLakeEnvironment(noHoles)) {
        e.reset(task(seed), seed);
        e.step(Message.assistant("right"));
        landed.merge(e.position(), 1, Integer::sum);
      }
    }
    // right from the top-left corner: as intended (0,1), slid down (1,0), slid up into the edge (0,0)
    assertEquals(Set.of(new Cell(0, 1), new Cell(1, 0), new Cell(0, 0)), landed.keySet());
    for (int count : landed.values()) {
      assertEquals(1.0 / 3, count / (double) n, 0.06, landed.toString());
    }
    try (FrozenLakeEnvironment e = new FrozenLakeEnvironment(new FrozenLakeConfig(4, 0.0, false, 100))) {
      for (long seed = 0; seed < 50; seed++) {
        e.reset(task(seed), seed);
        e.step(Message.assistant("right"));
        assertEquals(new Cell(0, 1), e.position());
      }
    }
  }

  @Test
  void slipperyEpisodesReplayExactlyUnderTheirSeedAndDifferAcrossSeeds() {
    BoundEnvironment env = PROVIDER.bind(SLIPPERY);
    List<Message> actions = Games.script("down", "down", "right", "right", "down", "right", "down", "right");
    Played first = EnvTestKit.replay(env, task(0), 42, actions);
    Played again = EnvTestKit.replay(env, task(0), 42, actions);
    assertEquals(first.reset(), again.reset());
    assertEquals(first.steps(), again.steps());
    Set<List<StepResult>> traces = new HashSet<>();
    for (long seed = 0; seed < 10; seed++) {
      traces.add(EnvTestKit.replay(env, task(0), seed, actions).steps());
    }
    assertTrue(traces.size() > 1, "ten episode seeds gave the same slips");
  }

  @Test
  void sameTaskSeedAndActionsGiveTheSameTrace() {
    Played first = EnvTestKit.play(ENV, ENV.randomAgent(), task(5), 5, 100);
    Played again = EnvTestKit.replay(ENV, task(5), 5, first.actions());
    assertEquals(first.reset(), again.reset());
    assertEquals(first.steps(), again.steps());
  }

  @Test
  void aLakeOfHolesStillKeepsOneShortestPathFrozen() {
    for (long seed = 0; seed < 20; seed++) {
      LakeMap map = LakeMap.generate(6, 1.0, seed);
      assertEquals(10, map.stepsToGoal(map.start()), map.render(null));
      long frozen = String.join("", map.rows()).chars().filter(c -> c != LakeMap.HOLE).count();
      assertEquals(11, frozen, map.render(null));
    }
  }

  @Test
  void fallingIntoAHoleEndsTheEpisodeWithoutRewardOrSuccess() {
    for (long seed = 0; seed < 1000; seed++) {
      LakeMap map = LakeMap.generate(4, 0.2, seed);
      String into = map.at(new Cell(0, 1)) == LakeMap.HOLE ? "right"
          : map.at(new Cell(1, 0)) == LakeMap.HOLE ? "down" : null;
      if (into != null) {
        StepResult r = EnvTestKit.replay(ENV, task(seed), seed, Games.script(into)).last();
        assertTrue(r.terminated());
        assertFalse(r.truncated());
        assertEquals(0.0, r.reward());
        assertEquals(false, r.signals().get(StandardSignals.SUCCESS).orElseThrow());
        assertTrue(Games.text(r).contains("hole"), Games.text(r));
        return;
      }
    }
    throw new AssertionError("no lake with a hole next to the start in 1000 seeds");
  }

  @Test
  void theObservationShowsTheWholeLakeAndWhereTheAgentIs() {
    try (FrozenLakeEnvironment e = new FrozenLakeEnvironment(FIRM)) {
      String opening = e.reset(task(3), 3).observation().get(1).content();
      assertTrue(opening.contains("row 1, column 1"), opening);
      assertTrue(opening.endsWith(e.map().render(e.position())), opening);
      assertTrue(e.map().render(e.position()).startsWith("@"));
    }
  }

  @Test
  void garbageIsInvalidExplainsWhatIsAllowedAndTheEpisodeGoesOn() {
    Played p = EnvTestKit.replay(ENV, task(1), 1, Games.script("jump!", "up or down?", "<action>down</action>"));
    for (StepResult r : p.steps().subList(0, 2)) {
      assertTrue(r.signals().has(StandardSignals.INVALID_ACTION));
      assertFalse(r.done());
      assertTrue(Games.text(r).contains("Allowed actions: up, down, left, right"), Games.text(r));
    }
    assertTrue(p.steps().get(1).signals().get(StandardSignals.INVALID_ACTION).orElseThrow().contains("several"));
    assertFalse(p.steps().get(2).signals().has(StandardSignals.INVALID_ACTION));
  }

  @Test
  void turnLimitTruncatesWithoutSuccess() {
    BoundEnvironment two = PROVIDER.bind(new FrozenLakeConfig(4, 0.2, false, 2));
    Played p = EnvTestKit.replay(two, task(8), 8, Games.script("up", "left", "down"));
    assertEquals(2, p.steps().size());
    StepResult last = p.last();
    assertTrue(last.truncated());
    assertFalse(last.terminated());
    assertEquals(false, last.signals().get(StandardSignals.SUCCESS).orElseThrow());
    assertTrue(Games.text(last).contains("edge"), "moving off the edge leaves the agent in place");
  }

  @Test
  void stepBeforeResetOrAfterTheEndIsRefused() {
    try (FrozenLakeEnvironment e = new FrozenLakeEnvironment(new FrozenLakeConfig(4, 0.2, false, 1))) {
      assertThrows(IllegalStateException.class, () -> e.step(Message.assistant("down")));
      e.reset(task(0), 0);
      assertTrue(e.step(Message.assistant("up")).done());
      assertThrows(IllegalStateException.class, () -> e.step(Message.assistant("down")));
    }
  }

  @Test
  void randomAgentIsDeterministicAndUsesEveryMove() {
    Agent random = PROVIDER.randomAgent(FIRM);
    Set<String> said = new HashSet<>();
    for (int turn = 0; turn < 100; turn++) {
      String a = Games.ask(random, task(1), 9, turn, List.of(Message.user("map")));
      assertEquals(a, Games.ask(random, task(1), 9, turn, List.of(Message.user("map"))));
      said.add(a);
    }
    assertEquals(Set.of("up", "down", "left", "right"), said);
  }

  @Test
  void observationsSupersedeOnFirmAndSlipperyIce() {
    assertTrue(PROVIDER.observationsSupersede(FIRM));
    assertTrue(PROVIDER.observationsSupersede(SLIPPERY));
    assertTrue(PROVIDER.bind(new FrozenLakeConfig(8, 0.35, true, 30)).observationsSupersede());
  }

  /**
   * Where the provider says observations supersede (always), the latest observation alone tells every state apart
   * (the lake, where the agent stands and the turn), on any lake, so a policy that reads only it loses nothing.
   */
  @Test
  void theLatestObservationTellsEveryStateApart() {
    for (FrozenLakeConfig config : List.of(FIRM, SLIPPERY, new FrozenLakeConfig(5, 0.3, false, 12))) {
      Map<String, String> stateOf = new HashMap<>();
      int observations = 0;
      java.util.SplittableRandom random = new java.util.SplittableRandom(7);
      String[] actions = {"up", "down", "left", "right", "what?"};
      for (long seed = 0; seed < 40; seed++) {
        try (FrozenLakeEnvironment e = new FrozenLakeEnvironment(config)) {
          String text = e.reset(task(seed), seed).observation().get(1).content();
          while (true) {
            String observation = text.substring(text.indexOf("Turns left:"));
            String state = String.join("/", e.map().rows()) + " at " + e.position() + " turn " + e.turn();
            String before = stateOf.putIfAbsent(observation, state);
            assertTrue(before == null || before.equals(state), "two states read alike: " + before + " and " + state);
            observations++;
            StepResult r = e.step(Message.assistant(actions[random.nextInt(actions.length)]));
            if (r.done()) {
              break;
            }
            text = Games.text(r);
          }
        }
      }
      assertTrue(observations > 200, "too few observations to tell: " + observations);
    }
  }

  @Test
  void passesTheEnvironmentCheckerOnFirmAndSlipperyIce() {
    EnvChecker.check(PROVIDER.bind(FIRM)).assertPassed();
    EnvChecker.check(PROVIDER.bind(SLIPPERY)).assertPassed();
  }

  @Test
  void configRejectsAHoleProbabilityAboveOneNamingFieldValueAndRange() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new FrozenLakeConfig(4, 1.5, false, 100));
    assertEquals("holeProbability must be between 0.0 and 1.0, was 1.5", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new FrozenLakeConfig(4, Double.NaN, false, 100));
  }

  @Test
  void configRejectsATooSmallLake() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new FrozenLakeConfig(1, 0.2, false, 100));
    assertEquals("size must be between 2 and 16, was 1", e.getMessage());
  }
}
