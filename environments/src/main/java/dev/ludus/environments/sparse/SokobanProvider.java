package dev.ludus.environments.sparse;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.AnyEnvironment;
import dev.ludus.api.EnvironmentProvider;
import dev.ludus.api.Message;
import dev.ludus.api.Seeds;
import dev.ludus.api.SignalKey;
import dev.ludus.api.StandardSignals;
import dev.ludus.environments.text.ActionText.Direction;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code sokoban} environment: push every box onto a target in a small room, one move per turn, for a
 * reward that comes only at the end. Stateless and thread-safe.
 *
 * <p><b>Generation.</b> Each task's level is made from its seed by reverse play, as in gym-sokoban and
 * RAGEN: a room is carved by a random walk, boxes are put on random targets, and a breadth-first search
 * plays backwards from the solved positions, pulling boxes. The level is a position at a drawn depth
 * between {@code ceil(reverseSteps/2)} and {@code reverseSteps}, so it is solvable by construction, never
 * already solved, and its shortest solution has exactly that many moves (at most {@code maxTurns}). A task
 * may instead carry a level written as text in its {@value #LEVEL_FIELD} field.
 *
 * <p><b>Observation.</b> The system message gives the legend ({@code #} wall, {@code _} floor, {@code O}
 * box, {@code X} target, {@code *} box on target, {@code P} player, {@code S} player on target), the
 * rules and the answer format. Each user message says what the last move did (moved, pushed, blocked by a
 * wall, box blocked, or why the answer could not be read), how many boxes are on targets, the turns left,
 * and shows the grid. Moves are read leniently with {@link dev.ludus.environments.text.ActionText}: the
 * last {@code <answer>} tag if any, then one of up/down/left/right (or north/south/west/east).
 *
 * <p><b>Reward.</b> Sparse: 1.0 on the turn every box reaches a target (terminated), else 0. After
 * {@code maxTurns} turns, unreadable ones included, the episode is truncated. A blocked move is a valid
 * action that changes nothing.
 *
 * <p><b>Signals.</b> {@link #BOXES_ON_TARGET} at reset and on every step; {@link #OPTIMAL_MOVES} at reset
 * (the shortest solution's length, for efficiency metrics); {@link StandardSignals#INVALID_ACTION} with the
 * reason when an answer names no single move; {@link StandardSignals#SUCCESS} on the final step.
 *
 * <p><b>Agents.</b> The oracle plays shortest solutions found by breadth-first search; the random agent
 * picks one of the four moves uniformly, seeded by the episode seed and the turn.
 */
public final class SokobanProvider implements EnvironmentProvider<SokobanConfig> {
  public static final String NAME = "sokoban";

  /** A task field holding a level as text, used instead of generating one from the task's seed. */
  public static final String LEVEL_FIELD = "level";

  /** How many boxes stand on targets, at reset and after every step. */
  public static final SignalKey<Integer> BOXES_ON_TARGET = SignalKey.of("boxes-on-target", Integer.class);

  /** The length in moves of the level's shortest solution, at reset (absent if the level has none). */
  public static final SignalKey<Integer> OPTIMAL_MOVES = SignalKey.of("optimal-moves", Integer.class);

  private static final Direction[] MOVES = Direction.values();

  public SokobanProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Sokoban: push every box onto a target in a small generated room; reward 1 when solved";
  }

  @Override
  public Class<SokobanConfig> configType() {
    return SokobanConfig.class;
  }

  @Override
  public SokobanConfig defaultConfig() {
    return SokobanConfig.defaults();
  }

  @Override
  public AnyEnvironment create(SokobanConfig config) {
    return new SokobanEnvironment(config);
  }

  @Override
  public Set<SignalKey<?>> signals() {
    return Set.of(BOXES_ON_TARGET, OPTIMAL_MOVES, StandardSignals.INVALID_ACTION, StandardSignals.SUCCESS);
  }

  /**
   * True: every observation shows the whole room (walls, targets, boxes, the player), the boxes on targets and the
   * turns left, and the moves are deterministic, so nothing earlier adds to the latest observation.
   */
  @Override
  public boolean observationsSupersede(SokobanConfig config) {
    return true;
  }

  /** The level's characters, wall to player on a target: each row of the grid is a line of them. */
  @Override
  public String gridCells(SokobanConfig config) {
    return SokobanLevel.CELLS;
  }

  /**
   * The oracle replays the conversation's moves, whoever made them, and searches again from where they led: it acts
   * from any state (from one with no solution left it answers a legal move).
   */
  @Override
  public boolean oracleActsFromAnyState(SokobanConfig config) {
    return true;
  }

  @Override
  public Optional<Agent> oracle(SokobanConfig config) {
    return Optional.of(new SokobanOracle(config));
  }

  @Override
  public Agent randomAgent(SokobanConfig config) {
    return request -> {
      SplittableRandom rng = new SplittableRandom(Seeds.mix(request.seed(), request.turn()));
      Direction d = MOVES[rng.nextInt(MOVES.length)];
      return CompletableFuture.completedFuture(AgentResponse.reply(Message.assistant(d.word())));
    };
  }
}
