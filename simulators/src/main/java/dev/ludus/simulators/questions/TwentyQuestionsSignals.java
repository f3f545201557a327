package dev.ludus.simulators.questions;

import dev.ludus.api.SignalKey;
import dev.ludus.api.StandardSignals;
import java.util.List;
import java.util.Locale;

/**
 * The signals the twenty-questions user publishes, for shapers and for the environment that declares them.
 * Never shown to the agent.
 *
 * <ul>
 *   <li>{@link StandardSignals#CANDIDATE_COUNT}: items of the pool still consistent with every answer
 *       (always);
 *   <li>{@link StandardSignals#CANDIDATE_ENTROPY}: {@code log2(count)} bits, the uniform belief's entropy
 *       (always);
 *   <li>{@link StandardSignals#CANDIDATES}: their names, when at most the configured limit remain;
 *   <li>{@link #TARGET} (secret): the item the user thinks of (always);
 *   <li>{@link #REPLY}: how the user read the last message, one of {@link Reply} (after each message);
 *   <li>{@link #QUESTION}: the canonical text of the question the user understood (after questions);
 *   <li>{@link StandardSignals#INVALID_ACTION}: why the user did not understand (after unclear messages).
 * </ul>
 *
 * <p>Answers the user could not read leave the candidates unchanged; a wrong guess removes the guessed item.
 */
public final class TwentyQuestionsSignals {
  private TwentyQuestionsSignals() {}

  /** The hidden target's canonical name. Secret: the user says it only on the step that ends the game. */
  public static final SignalKey<String> TARGET = SignalKey.secret("target", String.class);

  /** How the user read the agent's last message: a {@link Reply#wireName()}. */
  public static final SignalKey<String> REPLY = SignalKey.of("user-reply", String.class);

  /** The canonical text ({@link Question#text()}) of the question the user answered. */
  public static final SignalKey<String> QUESTION = SignalKey.of("question", String.class);

  /** What the user made of the agent's message. */
  public enum Reply {
    /** A question answered yes. */
    YES,
    /** A question answered no. */
    NO,
    /** A guess naming the target: the game is won. */
    RIGHT_GUESS,
    /** A guess naming another item. */
    WRONG_GUESS,
    /** Neither a question the user understood nor a guess; nothing was learned. */
    NOT_UNDERSTOOD,
    /** A question the user understood but could not answer ("don't know"; only the LLM-driven user says it). */
    DONT_KNOW;

    /** The kebab-case value the {@link #REPLY} signal holds, e.g. {@code wrong-guess}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The reply named {@code wire}; fails naming the value and the allowed ones. */
    public static Reply fromWire(String wire) {
      for (Reply r : values()) {
        if (r.wireName().equals(wire)) {
          return r;
        }
      }
      throw new IllegalArgumentException("unknown reply '" + wire + "'; allowed: yes, no, right-guess, wrong-guess, "
          + "not-understood, dont-know");
    }
  }

  /** Every key the user may publish. */
  public static List<SignalKey<?>> all() {
    return List.of(StandardSignals.CANDIDATE_COUNT, StandardSignals.CANDIDATE_ENTROPY, StandardSignals.CANDIDATES,
        TARGET, REPLY, QUESTION, StandardSignals.INVALID_ACTION);
  }
}
