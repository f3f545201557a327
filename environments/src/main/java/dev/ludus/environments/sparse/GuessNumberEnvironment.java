package dev.ludus.environments.sparse;

import dev.ludus.api.Message;
import dev.ludus.api.Reset;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.Task;
import dev.ludus.environments.text.ActionText;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Binary search as a text game. A target is drawn uniformly from {@code [low, high]} with the task seed
 * (the episode seed plays no part: the game has no other randomness). Each turn the agent writes a number
 * (the last integer of its answer, read with {@link ActionText}); the game answers higher, lower or
 * correct. A correct guess ends the episode with reward 1 and success; nothing else is rewarded.
 *
 * <p>Signals on reset and every step: {@link SparseSignals#FEASIBLE_RANGE} (the numbers still consistent
 * with the answers), {@link StandardSignals#CANDIDATE_COUNT} (its size) and
 * {@link StandardSignals#CANDIDATE_ENTROPY} (log2 of it), {@link SparseSignals#EXPECTED_ENTROPY} (what the
 * guesses leave in expectation), and the secret {@link SparseSignals#TARGET}. A
 * message with no number, or a number outside {@code [low, high]}, is invalid
 * ({@link StandardSignals#INVALID_ACTION}) and uses a turn. A number inside the bounds but outside the
 * feasible range is a legal, wasted guess: answered truthfully, the range unchanged. Not thread-safe.
 */
final class GuessNumberEnvironment extends TextGame {
  private final GuessNumberConfig config;
  private int target;
  private FeasibleRange range;
  private double expectedEntropy;

  GuessNumberEnvironment(GuessNumberConfig config) {
    super(config.maxTurns());
    this.config = config;
  }

  /** The target of {@code task}: uniform on the configured bounds, drawn with the task seed. */
  static int target(GuessNumberConfig config, Task task) {
    return (int) new SplittableRandom(task.seed()).nextLong(config.low(), config.high() + 1L);
  }

  @Override
  Reset start(Task task, long seed) {
    target = target(config, task);
    range = new FeasibleRange(config.low(), config.high());
    expectedEntropy = range.entropyBits();
    String rules = "Let's play a guessing game. I am thinking of a whole number between " + config.low()
        + " and " + config.high() + " (both included). Each turn, guess one number; I will answer "
        + "'higher' if my number is greater than your guess, 'lower' if it is smaller, or 'correct'. "
        + "Guessing it ends the game with reward 1; nothing else is rewarded. You have " + config.maxTurns()
        + " guesses. Write your guess as a number, for example <answer>" + example() + "</answer>.";
    String first = "Make your first guess (a number between " + config.low() + " and " + config.high() + ").";
    return new Reset(List.of(Message.system(rules), Message.user(first)), List.of(), signals());
  }

  private int example() {
    return config.low() + (config.high() - config.low()) / 2;
  }

  @Override
  Outcome play(Message action) {
    String text = ActionText.extract(action);
    Optional<Long> number = ActionText.lastInteger(text);
    String allowed = "Write one whole number between " + config.low() + " and " + config.high()
        + ", for example <answer>" + example() + "</answer>. " + turnsLeftLine();
    if (number.isEmpty()) {
      String why = text.isEmpty()
          ? "your message has no guess." + toolNote(action)
          : "I found no number in " + quote(text) + ".";
      return invalid(why, allowed, signals());
    }
    long guess = number.get();
    expectedEntropy = Math.max(0, expectedEntropy - range.expectedGainBits(guess));
    if (guess < config.low() || guess > config.high()) {
      return invalid(guess + " is outside the range " + config.low() + " to " + config.high() + ".", allowed,
          signals());
    }
    if (guess == target) {
      range = new FeasibleRange(target, target);
      return new Outcome("Correct! My number is " + target + ". You found it in " + turn() + " guesses.", 1.0,
          true, true, signals());
    }
    String answer;
    if (guess < target) {
      answer = "Higher: my number is greater than " + guess + ".";
      if (range.contains(guess)) {
        range = new FeasibleRange((int) guess + 1, range.high());
      }
    } else {
      answer = "Lower: my number is smaller than " + guess + ".";
      if (range.contains(guess)) {
        range = new FeasibleRange(range.low(), (int) guess - 1);
      }
    }
    return new Outcome(answer + " " + turnsLeftLine(), 0.0, false, false, signals());
  }

  private Signals signals() {
    return Signals.builder()
        .put(SparseSignals.FEASIBLE_RANGE, range)
        .put(StandardSignals.CANDIDATE_COUNT, range.count())
        .put(StandardSignals.CANDIDATE_ENTROPY, range.entropyBits())
        .put(SparseSignals.EXPECTED_ENTROPY, expectedEntropy)
        .put(SparseSignals.TARGET, target)
        .build();
  }

  /** The numbers still consistent with the answers so far (for the oracle, which replays). */
  FeasibleRange range() {
    return range;
  }
}
