package dev.ludus.environments.sparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.EnvChecker;
import dev.ludus.api.Environment;
import dev.ludus.api.Message;
import dev.ludus.api.Registry;
import dev.ludus.api.Reset;
import dev.ludus.api.Role;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.StepResult;
import dev.ludus.api.Task;
import dev.ludus.api.ToolCall;
import dev.ludus.api.testing.EnvTestKit;
import dev.ludus.api.testing.EnvTestKit.Played;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SokobanEnvironmentTest {
  private static final SokobanProvider PROVIDER = new SokobanProvider();
  private static final BoundEnvironment DEFAULT = PROVIDER.bind(SokobanConfig.defaults());

  /** Box against the wall on its right; solvable by pushing it down, then left. */
  static final String BOX_BY_WALL = """
      #######
      #_____#
      #_PO#_#
      #_____#
      #X____#
      #######""";

  /** Two boxes in a row with the player behind them. */
  static final String TWO_IN_A_ROW = """
      ########
      #POO__X#
      #_____X#
      ########""";

  /** Three pushes to the right solve it. */
  static final String CORRIDOR = """
      #######
      #P_O_X#
      #######""";

  static Task level(String name, String text) {
    return new Task("sokoban/" + name, 0, Map.of(SokobanProvider.LEVEL_FIELD, text));
  }

  private static Environment fresh(SokobanConfig config) {
    return (Environment) PROVIDER.create(config);
  }

  /** What the observation says after the board: what just happened, then what is left. */
  private static String lead(StepResult r) {
    String text = r.observation().get(0).content();
    return text.substring(text.indexOf("\n\n") + 2);
  }

  private static String grid(StepResult r) {
    String text = r.observation().get(0).content();
    return text.substring(0, text.indexOf("\n\n"));
  }

  @Test
  void observationsSupersede() {
    assertTrue(PROVIDER.observationsSupersede(SokobanConfig.defaults()));
    assertTrue(PROVIDER.bind(new SokobanConfig(4, 4, 1, 6, 12)).observationsSupersede());
  }

  /**
   * Where the provider says observations supersede (always), the latest observation alone tells every state apart
   * (the room's walls and targets, the player, the boxes and the turn), on any room, so a policy that reads only it
   * loses nothing.
   */
  @Test
  void theLatestObservationTellsEveryStateApart() {
    for (SokobanConfig config : List.of(new SokobanConfig(4, 4, 1, 6, 12), new SokobanConfig(5, 5, 2, 6, 10))) {
      Map<String, String> stateOf = new java.util.HashMap<>();
      int observations = 0;
      java.util.SplittableRandom random = new java.util.SplittableRandom(7);
      String[] actions = {"up", "down", "left", "right", "what?"};
      for (long seed = 0; seed < 40; seed++) {
        Task task = Task.generated("sokoban", seed);
        SokobanLevel level = SokobanEnvironment.level(config, task);
        SokobanGame twin = new SokobanGame(level);
        StringBuilder room = new StringBuilder();
        for (int cell = 0; cell < level.size(); cell++) {
          room.append(level.isWall(cell) ? '#' : level.isTarget(cell) ? 'X' : '_');
        }
        try (Environment e = fresh(config)) {
          String text = e.reset(task, seed).observation().get(1).content();
          for (int turn = 0; ; turn++) {
            // the board and what is left, without what just happened
            String observation = text.substring(0, text.indexOf("\n\n")) + text.substring(text.indexOf("Boxes on targets:"));
            String state = room + " position " + twin.state() + " turn " + turn;
            String before = stateOf.putIfAbsent(observation, state);
            assertTrue(before == null || before.equals(state), "two states read alike: " + before + " and " + state);
            observations++;
            Message action = Message.assistant(actions[random.nextInt(actions.length)]);
            SokobanText.parseMove(action).ifPresent(twin::move);
            StepResult r = e.step(action);
            if (r.done()) {
              break;
            }
            text = r.observation().get(0).content();
          }
        }
      }
      assertTrue(observations > 200, "too few observations to tell: " + observations);
    }
  }

  @Test
  void passesTheContractCheck() {
    EnvChecker.check(DEFAULT).assertPassed();
  }

  @Test
  void passesTheContractCheck_withTwoBoxesAndAShortTurnLimit() {
    EnvChecker.check(PROVIDER.bind(new SokobanConfig(5, 5, 2, 6, 8))).assertPassed();
  }

  @Test
  void isRegisteredUnderItsName() {
    assertEquals(SokobanProvider.class, Registry.load().environments().get("sokoban").getClass());
  }

  @Test
  void resetShowsTheLegendRulesAndGrid() {
    Reset r = EnvTestKit.reset(fresh(SokobanConfig.defaults()), level("wall", BOX_BY_WALL), 0);
    assertEquals(List.of(Role.SYSTEM, Role.USER), r.observation().stream().map(Message::role).toList());
    String system = r.observation().get(0).content();
    for (String s : List.of("#  wall", "O  box", "X  target", "*  box on a target", "P  you", "up, down, left or right",
        "30 turns", "<answer>left</answer>")) {
      assertTrue(system.contains(s), () -> "system prompt lacks '" + s + "':\n" + system);
    }
    String user = r.observation().get(1).content();
    assertTrue(user.contains(BOX_BY_WALL), user);
    assertTrue(user.contains("Boxes on targets: 0 of 1. Turns left: 30."), user);
    assertEquals(0, r.signals().get(SokobanProvider.BOXES_ON_TARGET).orElseThrow());
    assertEquals(8, r.signals().get(SokobanProvider.OPTIMAL_MOVES).orElseThrow());
  }

  @Test
  void sameTaskAndSeed_replayTheSameEpisode() {
    for (long s = 0; s < 10; s++) {
      Task task = DEFAULT.tasks().task(s, 7);
      Played a = EnvTestKit.play(DEFAULT, DEFAULT.randomAgent(), task, s, 100);
      Played b = EnvTestKit.replay(DEFAULT, task, s, a.actions());
      assertEquals(a.reset(), b.reset());
      assertEquals(a.steps(), b.steps());
    }
  }

  @Test
  void differentTaskSeeds_giveDifferentLevels() {
    Set<String> grids = new HashSet<>();
    for (long s = 0; s < 20; s++) {
      Reset r = EnvTestKit.reset(fresh(SokobanConfig.defaults()), DEFAULT.tasks().task(s, 1), 0);
      grids.add(r.observation().get(1).content());
    }
    assertTrue(grids.size() >= 18, "only " + grids.size() + " distinct levels in 20 seeds");
  }

  @Test
  void unreadableActions_areFlaggedWithAReason_andTheEpisodeGoesOn() {
    List<Message> bad = List.of(
        Message.assistant("I am not sure"),
        Message.assistant("up, then left"),
        Message.assistant(""),
        Message.assistant("", List.of(ToolCall.of("c1", "move", "{\"dir\":\"up\"}"))));
    Environment env = fresh(SokobanConfig.defaults());
    Reset reset = EnvTestKit.reset(env, level("wall", BOX_BY_WALL), 0);
    int turnsLeft = 30;
    for (Message m : bad) {
      StepResult r = env.step(m);
      turnsLeft--;
      String why = r.signals().get(StandardSignals.INVALID_ACTION).orElseThrow(() -> new AssertionError(m.content()));
      assertTrue(why.contains("Allowed moves: up, down, left, right"), why);
      String text = r.observation().get(0).content();
      assertTrue(text.startsWith(BOX_BY_WALL + "\n\nInvalid action: "), text);
      assertTrue(text.contains("Nothing changed") && text.contains("Turns left: " + turnsLeft + "."), text);
      assertTrue(text.contains(BOX_BY_WALL), "the board should be unchanged:\n" + text);
      assertFalse(r.done());
      assertEquals(0.0, r.reward());
      assertEquals(0, r.signals().get(SokobanProvider.BOXES_ON_TARGET).orElseThrow());
    }
    assertTrue(env.step(Message.assistant("<answer>down</answer>")).signals().get(StandardSignals.INVALID_ACTION)
        .isEmpty(), "a readable move after unreadable ones is played");
    assertTrue(reset.signals().get(StandardSignals.INVALID_ACTION).isEmpty());
  }

  /**
   * The board opens every observation, whatever happened before it (a move, a push, a blocked or unreadable move, the
   * end), so a policy that reads the latest observation with learned positions finds each cell at one place.
   */
  @Test
  void everyObservationOpensWithTheBoard() {
    Environment env = fresh(SokobanConfig.defaults());
    Reset reset = EnvTestKit.reset(env, level("corridor", CORRIDOR), 0);
    assertTrue(reset.observation().get(1).content().startsWith(CORRIDOR + "\n\n"), reset.observation().get(1).content());
    List<String> moves = List.of("up", "what?", "right", "right", "right");
    List<String> boards = List.of(CORRIDOR, CORRIDOR, "#######\n#_PO_X#\n#######", "#######\n#__POX#\n#######",
        "#######\n#___P*#\n#######");
    for (int i = 0; i < moves.size(); i++) {
      String text = env.step(Message.assistant(moves.get(i))).observation().get(0).content();
      assertTrue(text.startsWith(boards.get(i) + "\n\n"), "after " + moves.get(i) + ":\n" + text);
    }
  }

  @Test
  void toolCallsWithoutText_areToldThereAreNoTools() {
    Environment env = fresh(SokobanConfig.defaults());
    EnvTestKit.reset(env, level("wall", BOX_BY_WALL), 0);
    StepResult r = env.step(Message.assistant("", List.of(ToolCall.of("c1", "move", "{}"))));
    assertTrue(r.signals().get(StandardSignals.INVALID_ACTION).orElseThrow().contains("no tools"));
  }

  @Test
  void pushingABoxIntoAWall_changesNothing() {
    Environment env = fresh(SokobanConfig.defaults());
    EnvTestKit.reset(env, level("wall", BOX_BY_WALL), 0);
    StepResult r = env.step(Message.assistant("right"));
    assertEquals(BOX_BY_WALL, grid(r));
    assertTrue(lead(r).startsWith("Blocked: you cannot push the box right, a wall or another box is behind it."));
    assertFalse(r.signals().has(StandardSignals.INVALID_ACTION), "a blocked move is a valid action");
    assertFalse(r.done());
  }

  @Test
  void walkingIntoAWall_changesNothing() {
    Environment env = fresh(SokobanConfig.defaults());
    EnvTestKit.reset(env, level("wall", BOX_BY_WALL), 0);
    env.step(Message.assistant("up"));
    StepResult r = env.step(Message.assistant("up"));
    assertTrue(lead(r).startsWith("Blocked: you cannot move up, a wall is in the way."));
    assertEquals(BOX_BY_WALL.replace("#_____#\n#_P", "#_P___#\n#__"), grid(r));
  }

  @Test
  void pushingABoxIntoAnotherBox_changesNothing() {
    Environment env = fresh(SokobanConfig.defaults());
    EnvTestKit.reset(env, level("row", TWO_IN_A_ROW), 0);
    StepResult r = env.step(Message.assistant("right"));
    assertEquals(TWO_IN_A_ROW, grid(r));
    assertTrue(lead(r).startsWith("Blocked: you cannot push the box right"));
  }

  @Test
  void pushingABox_movesItAndThePlayer() {
    Environment env = fresh(SokobanConfig.defaults());
    EnvTestKit.reset(env, level("corridor", CORRIDOR), 0);
    env.step(Message.assistant("right"));
    StepResult r = env.step(Message.assistant("Push it: <answer>right</answer>"));
    assertTrue(lead(r).startsWith("You pushed a box right."));
    assertEquals(CORRIDOR.replace("P_O_X", "__POX"), grid(r));
  }

  @Test
  void puttingEveryBoxOnATarget_endsWithRewardOneAndSuccess() {
    Played p = EnvTestKit.replay(DEFAULT, level("corridor", CORRIDOR), 0,
        List.of(Message.assistant("right"), Message.assistant("east"), Message.assistant("r")));
    assertEquals(3, p.reset().signals().get(SokobanProvider.OPTIMAL_MOVES).orElseThrow());
    StepResult last = p.last();
    assertTrue(last.terminated());
    assertFalse(last.truncated());
    assertEquals(1.0, last.reward());
    assertEquals(1.0, p.totalReward());
    assertTrue(p.succeeded());
    assertEquals(1, last.signals().get(SokobanProvider.BOXES_ON_TARGET).orElseThrow());
    assertTrue(last.observation().get(0).content().contains("#___P*#"));
    for (StepResult r : p.steps().subList(0, 2)) {
      assertFalse(r.signals().has(StandardSignals.SUCCESS), "success is published on the final step only");
    }
  }

  @Test
  void theTurnLimit_truncatesWithoutSuccess() {
    Environment env = fresh(new SokobanConfig(6, 6, 1, 5, 5));
    EnvTestKit.reset(env, level("corridor", CORRIDOR), 0);
    for (int t = 1; t <= 5; t++) {
      StepResult r = env.step(Message.assistant(t % 2 == 0 ? "nonsense" : "left"));
      assertEquals(t == 5, r.done(), "turn " + t);
      assertFalse(r.terminated());
      assertEquals(0.0, r.reward());
      if (t == 5) {
        assertTrue(r.truncated());
        assertEquals(false, r.signals().get(StandardSignals.SUCCESS).orElseThrow());
        assertTrue(r.observation().get(0).content().contains("No turns left"));
      }
    }
    assertThrows(IllegalStateException.class, () -> env.step(Message.assistant("right")));
  }

  @Test
  void solvingOnTheLastTurn_isSuccessNotTruncation() {
    Environment env = fresh(new SokobanConfig(6, 6, 1, 3, 3));
    EnvTestKit.reset(env, level("corridor", CORRIDOR), 0);
    env.step(Message.assistant("right"));
    env.step(Message.assistant("right"));
    StepResult r = env.step(Message.assistant("right"));
    assertTrue(r.terminated());
    assertFalse(r.truncated());
    assertEquals(true, r.signals().get(StandardSignals.SUCCESS).orElseThrow());
  }

  @Test
  void boxesOnTarget_isPublishedOnEveryStep() {
    SokobanConfig config = new SokobanConfig(6, 6, 2, 12, 30);
    BoundEnvironment env = PROVIDER.bind(config);
    for (long s = 0; s < 5; s++) {
      Played p = EnvTestKit.play(env, env.randomAgent(), env.tasks().task(s, 3), s, 100);
      assertTrue(p.ended());
      for (StepResult r : p.steps()) {
        int on = r.signals().get(SokobanProvider.BOXES_ON_TARGET).orElseThrow();
        assertTrue(on >= 0 && on <= 2, "boxes on target " + on);
        assertTrue(r.observation().get(0).content().contains("Boxes on targets: " + on + " of 2."));
      }
    }
  }

  @Test
  void stepBeforeReset_orAfterClose_isRefused_andCloseIsIdempotent() {
    Environment env = fresh(SokobanConfig.defaults());
    assertThrows(IllegalStateException.class, () -> env.step(Message.assistant("up")));
    EnvTestKit.reset(env, level("corridor", CORRIDOR), 0);
    env.close();
    env.close();
    assertThrows(IllegalStateException.class, () -> env.step(Message.assistant("up")));
  }

  @Test
  void aMalformedLevelInTheTask_isRejectedWithWhatIsWrong() {
    Environment env = fresh(SokobanConfig.defaults());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> env.reset(level("bad", "#####\n#P?X#\n#####"), 0));
    assertTrue(e.getMessage().contains("unknown level symbol '?' at row 1, column 2"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> env.reset(level("open", "#####\n#POX_\n#####"), 0));
    assertTrue(e.getMessage().contains("outer ring must be wall"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> env.reset(level("count", "######\n#POOX#\n######"), 0));
    assertTrue(e.getMessage().contains("2 boxes and 1 targets"), e.getMessage());
  }
}
