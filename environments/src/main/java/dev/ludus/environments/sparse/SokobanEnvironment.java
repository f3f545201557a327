package dev.ludus.environments.sparse;

import dev.ludus.api.Environment;
import dev.ludus.api.Message;
import dev.ludus.api.Reset;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.StepResult;
import dev.ludus.api.Task;
import dev.ludus.environments.text.ActionText.Direction;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One sokoban episode at a time; see {@link SokobanProvider} for the design. The level comes from the
 * task alone (its {@value SokobanProvider#LEVEL_FIELD} field, else its seed); the dynamics have no
 * randomness, so the episode seed is unused. Not thread-safe.
 */
final class SokobanEnvironment implements Environment {
  private final SokobanConfig config;
  private SokobanGame game;
  private int turn;
  private boolean done;
  private boolean closed;

  SokobanEnvironment(SokobanConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /** The level of {@code task}: written in its fields, or generated from its seed. */
  static SokobanLevel level(SokobanConfig config, Task task) {
    String text = task.fields().get(SokobanProvider.LEVEL_FIELD);
    return text == null ? SokobanGenerator.generate(config, task.seed()) : SokobanLevel.parse(text);
  }

  @Override
  public Reset reset(Task task, long seed) {
    if (closed) {
      throw new IllegalStateException("this sokoban environment is closed");
    }
    SokobanLevel level = level(config, task);
    game = new SokobanGame(level);
    turn = 0;
    done = false;
    Signals.Builder signals = Signals.builder().put(SokobanProvider.BOXES_ON_TARGET, game.boxesOnTarget());
    optimalMoves(level).ifPresent(n -> signals.put(SokobanProvider.OPTIMAL_MOVES, n));
    String first = SokobanText.board("", game, config.maxTurns()) + "\nYour move?";
    return new Reset(
        List.of(Message.system(SokobanText.systemPrompt(config)), Message.user(first)), List.of(), signals.build());
  }

  private static Optional<Integer> optimalMoves(SokobanLevel level) {
    if (level.optimalMoves() >= 0) {
      return Optional.of(level.optimalMoves());
    }
    // a level written in the task: solve it, within a budget that keeps reset quick
    return SokobanSolver.solve(level, level.player(), level.boxes(), SokobanGenerator.MAX_STATES).map(List::size);
  }

  @Override
  public StepResult step(Message action) {
    Objects.requireNonNull(action, "action");
    if (closed) {
      throw new IllegalStateException("this sokoban environment is closed");
    }
    if (game == null) {
      throw new IllegalStateException("step before reset: call reset(task, seed) first");
    }
    if (done) {
      throw new IllegalStateException("the episode is over; call reset(task, seed) to start another");
    }
    turn++;
    Signals.Builder signals = Signals.builder();
    String lead;
    Optional<Direction> move = SokobanText.parseMove(action);
    if (move.isPresent()) {
      lead = SokobanText.outcome(game.move(move.get()), move.get());
    } else {
      String why = SokobanText.invalidReason(action);
      signals.put(StandardSignals.INVALID_ACTION, why);
      lead = "Invalid action: " + why + " Nothing changed.";
    }
    signals.put(SokobanProvider.BOXES_ON_TARGET, game.boxesOnTarget());
    boolean solved = game.solved();
    boolean truncated = !solved && turn >= config.maxTurns();
    done = solved || truncated;
    int left = config.maxTurns() - turn;
    String text;
    if (solved) {
      signals.put(StandardSignals.SUCCESS, true);
      text = SokobanText.board(lead + " Every box is on a target: solved in " + turn + " turns!", game, left);
    } else if (truncated) {
      signals.put(StandardSignals.SUCCESS, false);
      text = SokobanText.board(lead + " No turns left: the game is over.", game, left);
    } else {
      text = SokobanText.board(lead, game, left) + "\nYour move?";
    }
    return new StepResult(List.of(Message.user(text)), solved ? 1.0 : 0.0, solved, truncated, signals.build());
  }

  @Override
  public void close() {
    closed = true;
    game = null;
  }
}
