package dev.ludus.simulators.scripted;

import dev.ludus.api.SignalKey;
import java.util.List;
import java.util.Locale;

/**
 * The signals the scripted user publishes with every reply; an environment that uses it declares them. Never
 * shown to the agent.
 *
 * <ul>
 *   <li>{@link #ACT}: what the reply does, one of {@link Act}'s wire names;
 *   <li>{@link #TURN}: the index of the request in force after the reply (0 for the first);
 *   <li>{@link #FACTS_GIVEN}: how many held-back details of the current turn the user has given so far.
 * </ul>
 */
public final class ScriptedUserSignals {
  private ScriptedUserSignals() {}

  /** What the user's reply does: an {@link Act#wireName()}. */
  public static final SignalKey<String> ACT = SignalKey.of("user-act", String.class);

  /** The index of the user's request in force after the reply. */
  public static final SignalKey<Integer> TURN = SignalKey.of("user-turn", Integer.class);

  /** How many held-back details of the current turn the user has given. */
  public static final SignalKey<Integer> FACTS_GIVEN = SignalKey.of("facts-given", Integer.class);

  /** Every key, for an environment's {@code signals()}. */
  public static List<SignalKey<?>> all() {
    return List.of(ACT, TURN, FACTS_GIVEN);
  }

  /** What a reply of the user does. */
  public enum Act {
    /** The opening request (at start). */
    REQUEST,
    /** The agent asked about a held-back detail and the user gave it; the turn goes on. */
    ANSWERED,
    /** The agent ended the turn and the user makes the next request. */
    NEXT_REQUEST,
    /** The agent ended the last turn and the user says goodbye: the conversation is over. */
    CLOSING;

    /** The kebab-case value of the {@link #ACT} signal, e.g. {@code next-request}. */
    public String wireName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The act named {@code wire}, or empty for another value. */
    public static java.util.Optional<Act> fromWire(String wire) {
      for (Act a : values()) {
        if (a.wireName().equals(wire)) {
          return java.util.Optional.of(a);
        }
      }
      return java.util.Optional.empty();
    }
  }
}
