package dev.ludus.simulators.persuasion;

import dev.ludus.api.SignalKey;
import dev.ludus.api.StandardSignals;
import java.util.List;

/**
 * The signals the persuadee publishes. Never shown to the agent.
 *
 * <ul>
 *   <li>{@link #PROPENSITY}, {@link #RESISTANCE}, {@link #DONATION_INTENT}, {@link #PERSONA} (secret): the hidden
 *       state, every turn and at the start;
 *   <li>{@link #STRATEGIES}: the P4G strategies the persuader's message used (after each message);
 *   <li>{@link #REPETITION}, {@link #INCONSISTENCY}: whether the message repeated an earlier sentence or contradicted
 *       an earlier claim or question (after each message), with {@link #CONTRADICTION} saying which;
 *   <li>{@link #DONATION}: the amount promised, or 0 when the persuadee leaves (when the conversation ends);
 *   <li>{@link StandardSignals#INVALID_ACTION}: why a message could not be read.
 * </ul>
 */
public final class PersuasionSignals {
  private PersuasionSignals() {}

  public static final SignalKey<Double> PROPENSITY = SignalKey.secret("propensity", Double.class);
  public static final SignalKey<Double> RESISTANCE = SignalKey.secret("resistance", Double.class);
  /** What the persuadee would donate if the conversation ended now, in dollars. */
  public static final SignalKey<Double> DONATION_INTENT = SignalKey.secret("donation-intent", Double.class);
  /** The persona's id. */
  public static final SignalKey<String> PERSONA = SignalKey.secret("persona", String.class);
  public static final SignalKey<List<String>> STRATEGIES = SignalKey.listOf("strategies", String.class);
  public static final SignalKey<Boolean> REPETITION = SignalKey.of("repetition", Boolean.class);
  public static final SignalKey<Boolean> INCONSISTENCY = SignalKey.of("inconsistency", Boolean.class);
  public static final SignalKey<String> CONTRADICTION = SignalKey.of("contradiction", String.class);
  /** The donation in dollars, 0 to 2. */
  public static final SignalKey<Double> DONATION = SignalKey.of("donation", Double.class);

  /** Every key the persuadee may publish. */
  public static List<SignalKey<?>> all() {
    return List.of(PROPENSITY, RESISTANCE, DONATION_INTENT, PERSONA, STRATEGIES, REPETITION, INCONSISTENCY,
        CONTRADICTION, DONATION, StandardSignals.INVALID_ACTION);
  }
}
