package dev.ludus.environments.sparse;

import dev.ludus.api.Environment;
import dev.ludus.api.Message;
import dev.ludus.api.Reset;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.StepResult;
import dev.ludus.api.Task;
import java.util.List;
import java.util.Objects;

/**
 * The skeleton the sparse games share. A game says how an episode starts ({@link #start}) and what one
 * action does ({@link #play}); this class owns the life-cycle and decides when the episode is over.
 *
 * <p>Life-cycle: {@code step} before {@code reset}, after the episode is done or after {@code close}
 * throws {@link IllegalStateException}; {@code reset} may be called again to start over. Every action,
 * valid or not, uses one turn. When the game did not end on the turn that uses the last of
 * {@code maxTurns}, the step is {@code truncated} and says so. The final step (terminated or truncated)
 * always carries {@link StandardSignals#SUCCESS}. Not thread-safe: one episode at a time.
 */
abstract class TextGame implements Environment {
  private enum Phase { NEW, RUNNING, DONE, CLOSED }

  /**
   * What one action did.
   *
   * @param text the message back to the agent
   * @param reward the game's reward for this action
   * @param terminated the game ended (won or lost)
   * @param success whether it ended won; ignored unless {@code terminated}
   * @param signals the game's signals for this step (SUCCESS is added here)
   */
  record Outcome(String text, double reward, boolean terminated, boolean success, Signals signals) {}

  private final int maxTurns;
  private Phase phase = Phase.NEW;
  private int turn;

  TextGame(int maxTurns) {
    this.maxTurns = maxTurns;
  }

  /** Draws the level for {@code task} and gives the opening observation. */
  abstract Reset start(Task task, long seed);

  /** Applies one action; {@link #turn()} already counts it. */
  abstract Outcome play(Message action);

  @Override
  public final Reset reset(Task task, long seed) {
    if (phase == Phase.CLOSED) {
      throw new IllegalStateException("reset after close");
    }
    Objects.requireNonNull(task, "task");
    turn = 0;
    Reset r = start(task, seed);
    phase = Phase.RUNNING;
    return r;
  }

  @Override
  public final StepResult step(Message action) {
    switch (phase) {
      case NEW -> throw new IllegalStateException("step before reset");
      case DONE -> throw new IllegalStateException("step after the episode ended; reset to play again");
      case CLOSED -> throw new IllegalStateException("step after close");
      case RUNNING -> { }
    }
    Objects.requireNonNull(action, "action");
    turn++;
    Outcome o = play(action);
    boolean truncated = !o.terminated() && turn >= maxTurns;
    Signals signals = o.signals();
    String text = o.text();
    if (o.terminated()) {
      signals = signals.with(StandardSignals.SUCCESS, o.success());
    } else if (truncated) {
      signals = signals.with(StandardSignals.SUCCESS, false);
      text = text + "\n\nThat was your last turn (" + maxTurns + " of " + maxTurns + "): the episode is over.";
    }
    if (o.terminated() || truncated) {
      phase = Phase.DONE;
    }
    return new StepResult(List.of(Message.user(text)), o.reward(), o.terminated(), truncated, signals);
  }

  @Override
  public void close() {
    phase = Phase.CLOSED;
  }

  /** Whether the episode is over (a step would be refused). */
  final boolean done() {
    return phase != Phase.RUNNING;
  }

  /** The number of actions taken so far in this episode, the current one included while it is played. */
  final int turn() {
    return turn;
  }

  final int maxTurns() {
    return maxTurns;
  }

  final int turnsLeft() {
    return maxTurns - turn;
  }

  /** "Turns left: n." */
  final String turnsLeftLine() {
    int left = turnsLeft();
    return "Turns left: " + left + ".";
  }

  /** The standard answer to an action that could not be used: why, and what is allowed. */
  static Outcome invalid(String why, String allowed, Signals signals) {
    return new Outcome("Invalid action: " + why + "\n" + allowed, 0.0, false, false,
        signals.with(StandardSignals.INVALID_ACTION, why));
  }

  /** A short, single-line excerpt of what the agent wrote, for messages that quote it. */
  static String quote(String text) {
    String oneLine = text.replaceAll("\\s+", " ").trim();
    return "'" + (oneLine.length() > 40 ? oneLine.substring(0, 40) + "..." : oneLine) + "'";
  }

  /** A reason to add when the agent called a tool: these games have none. */
  static String toolNote(Message action) {
    return action.toolCalls().isEmpty() ? "" : " This game has no tools: write the action as text.";
  }
}
