package dev.ludus.simulators.intent;

import dev.ludus.api.SignalKey;
import dev.ludus.api.StandardSignals;
import java.util.List;

/**
 * The signals the intent user publishes. Never shown to the agent.
 *
 * <ul>
 *   <li>{@link StandardSignals#CANDIDATE_COUNT}, {@link StandardSignals#CANDIDATE_ENTROPY} (always): the intents
 *       consistent with every answer and the uniform belief's entropy in bits ({@link IntentBelief});
 *   <li>{@link #ATTRIBUTES_KNOWN} (always): attributes pinned to one value;
 *   <li>{@link #NOT_SURE} (after each message): whether the user answered "not sure";
 *   <li>{@link #INTENT}, {@link #UNSURE_OF}, {@link #EXPERTISE} (secret, always): the hidden state;
 *   <li>{@link #SCORE} (after the final specification): the share of the attributes the user knows that it got right;
 *   <li>{@link StandardSignals#INVALID_ACTION}: why the user did not understand.
 * </ul>
 */
public final class IntentSignals {
  private IntentSignals() {}

  public static final SignalKey<Integer> ATTRIBUTES_KNOWN = SignalKey.of("attributes-known", Integer.class);
  public static final SignalKey<Boolean> NOT_SURE = SignalKey.of("not-sure", Boolean.class);
  /** The hidden intent, {@code attr=value; ...} in specification order. */
  public static final SignalKey<String> INTENT = SignalKey.secret("intent", String.class);
  /** The attributes the user does not know, {@code unsure of month, budget} (empty when it knows them all). */
  public static final SignalKey<String> UNSURE_OF = SignalKey.secret("unsure-of", String.class);
  /** {@code expert} or {@code novice}. */
  public static final SignalKey<String> EXPERTISE = SignalKey.secret("expertise", String.class);
  /** The final specification's share right, 0 to 1, over the attributes the user knows (1 when it knows none). */
  public static final SignalKey<Double> SCORE = SignalKey.of("intent-score", Double.class);

  /** Every key the user may publish. */
  public static List<SignalKey<?>> all() {
    return List.of(StandardSignals.CANDIDATE_COUNT, StandardSignals.CANDIDATE_ENTROPY, ATTRIBUTES_KNOWN, NOT_SURE,
        INTENT, UNSURE_OF, EXPERTISE, SCORE, StandardSignals.INVALID_ACTION);
  }
}
