package com.example.mastermind;

import dev.ludus.api.Environment;
import dev.ludus.api.Message;
import dev.ludus.api.Reset;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.StepResult;
import dev.ludus.api.Task;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One game of Mastermind. The secret code is drawn with the task seed; each turn the agent guesses a code
 * and gets black pegs (right colour, right place) and white pegs (right colour, wrong place). Guessing the
 * code ends the game with reward 1; running out of guesses truncates it. An unreadable guess is answered
 * with what is allowed, flagged {@code invalid-action}, and uses a guess. Not thread-safe.
 */
final class MastermindGame implements Environment {
  private static final Pattern ANSWER = Pattern.compile("<answer>(.*?)</answer>", Pattern.DOTALL);

  private final Mastermind.Config config;
  private final Codes codes;
  private String secret;
  private List<String> candidates;
  private int guesses;
  private boolean over;

  MastermindGame(Mastermind.Config config) {
    this.config = config;
    this.codes = config.codes();
  }

  @Override
  public Reset reset(Task task, long seed) {
    secret = codes.all().get(new SplittableRandom(task.seed()).nextInt(codes.all().size()));
    candidates = codes.all();
    guesses = 0;
    over = false;
    String rules = "Let's play Mastermind. I have a secret code of " + config.pegs() + " pegs; each peg is one of "
        + "the colours " + String.join(", ", config.colours().split("")) + " (colours may repeat). Each turn, "
        + "guess a code by writing " + config.pegs() + " colour letters, for example <answer>" + example()
        + "</answer>. I answer with black pegs (right colour in the right place) and white pegs (right colour "
        + "in the wrong place). Finding the code gives reward 1. You have " + config.maxGuesses() + " guesses.";
    return new Reset(List.of(Message.system(rules), Message.user("Make your first guess.")), List.of(),
        signals().build());
  }

  @Override
  public StepResult step(Message action) {
    guesses++;
    boolean outOfGuesses = guesses >= config.maxGuesses();
    Optional<String> guess = read(action.content());
    if (guess.isEmpty()) {
      over = outOfGuesses;
      Signals.Builder s = signals().put(StandardSignals.INVALID_ACTION, "not a code of " + config.pegs()
          + " letters from " + config.colours());
      String say = "I could not read a code in " + quote(action.content()) + ". Write " + config.pegs()
          + " letters from " + config.colours() + ", for example <answer>" + example() + "</answer>. ";
      return end(say, false, outOfGuesses, s);
    }
    String g = guess.get();
    int feedback = codes.feedback(g, secret);
    candidates = codes.consistent(candidates, g, feedback);
    boolean won = g.equals(secret);
    over = won || outOfGuesses;
    Signals.Builder s = signals().put(Mastermind.BLACK_PEGS, codes.black(feedback));
    String say = spaced(g) + ": " + codes.black(feedback) + " black, " + codes.white(feedback) + " white. ";
    return end(won ? say + "You found the code in " + guesses + " guesses!" : say, won, outOfGuesses, s);
  }

  private StepResult end(String say, boolean won, boolean outOfGuesses, Signals.Builder signals) {
    if (won || outOfGuesses) {
      signals.put(StandardSignals.SUCCESS, won);
    }
    if (!won) {
      say += outOfGuesses ? "No guesses left; the code was " + spaced(secret) + "."
          : (config.maxGuesses() - guesses) + " guesses left.";
    }
    return new StepResult(List.of(Message.user(say)), won ? 1 : 0, won, !won && outOfGuesses, signals.build());
  }

  private Signals.Builder signals() {
    return Signals.builder()
        .put(StandardSignals.CANDIDATE_COUNT, candidates.size())
        .put(StandardSignals.CANDIDATE_ENTROPY, Math.log(candidates.size()) / Math.log(2))
        .put(Mastermind.CODE, secret);
  }

  /** The code in {@code text}: the last {@code <answer>} if there is one, ignoring spaces and commas. */
  private Optional<String> read(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String answer = text;
    for (Matcher m = ANSWER.matcher(text); m.find(); ) {
      answer = m.group(1);
    }
    String code = answer.replaceAll("[\\s,;-]", "").toLowerCase(Locale.ROOT);
    boolean ok = code.length() == config.pegs() && code.chars().allMatch(c -> config.colours().indexOf(c) >= 0);
    return ok ? Optional.of(code) : Optional.empty();
  }

  /** An example guess, spaced so that it never spells the secret code in the rules. */
  private String example() {
    return spaced(codes.all().get(codes.all().size() / 2));
  }

  private static String spaced(String code) {
    return String.join(" ", code.split(""));
  }

  private static String quote(String text) {
    String t = text == null ? "" : text.strip();
    return "'" + (t.length() > 40 ? t.substring(0, 40) + "..." : t) + "'";
  }

  /** Whether the game has ended (for the oracle, which replays its own guesses). */
  boolean over() {
    return over;
  }

  /** The codes still consistent with the feedback so far. */
  List<String> candidates() {
    return candidates;
  }
}
