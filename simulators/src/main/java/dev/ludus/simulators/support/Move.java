package dev.ludus.simulators.support;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What an agent's message does, as the rule-based user reads it ({@link SupportClassifier}). One message may make
 * several moves. The last three are {@link #universalTaboos() taboo for every user}.
 */
public enum Move {
  /** Acknowledges the feelings ("that sounds really hard", "it makes sense you feel that way"). */
  VALIDATE,
  /** Suggests what to do ("you could...", "I'd suggest...", "how about..."). */
  ADVISE,
  /** Explains another person's side ("maybe they were under pressure", "from her perspective"). */
  ANALYSE_OTHERS,
  /** Invites the user to go on ("tell me more", "I'm listening", "what happened?"). */
  LISTEN,
  /** Belittles the problem ("calm down", "it's not a big deal", "look on the bright side"). */
  DISMISS,
  /** Puts the fault on the user ("it's your own fault", "what did you expect"). */
  BLAME,
  /** Steps out of the conversation: instructions to the simulator, talk about prompts or being an AI. */
  OFF_SCRIPT;

  private static final Set<Move> UNIVERSAL = Set.of(DISMISS, BLAME, OFF_SCRIPT);

  /** Moves that hurt every user, whatever their need. */
  public static Set<Move> universalTaboos() {
    return UNIVERSAL;
  }

  /** The kebab-case name used in profile files and signals, e.g. {@code analyse-others}. */
  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The move named {@code wire}; fails naming the value and the allowed ones. */
  @JsonCreator
  public static Move fromWire(String wire) {
    for (Move m : values()) {
      if (m.wireName().equals(wire)) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown move '" + wire + "'; allowed: "
        + Arrays.stream(values()).map(Move::wireName).collect(Collectors.joining(", ")));
  }
}
