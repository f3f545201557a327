package dev.ludus.simulators.profile;

import dev.ludus.api.SignalKey;
import dev.ludus.api.StandardSignals;
import java.util.List;

/**
 * The signals the personalisation user publishes. Never shown to the agent.
 *
 * <ul>
 *   <li>{@link #PROFILE} and {@link #PROFILE_ID} (secret): the gold profile, at the start and every turn;
 *   <li>{@link #FACTS_REVEALED}: how many facts the user has revealed so far (every turn, 0 at the start);
 *   <li>{@link #PROFILE_F1}: the F1 of the agent's inferred profile this turn (0 for a malformed message);
 *   <li>{@link #RESPONSE_OK}, {@link #RESPONSE_ISSUES}: the rule check of the response (well-formed messages);
 *   <li>{@link #TOPICS}: the topics the response raised;
 *   <li>{@link StandardSignals#INVALID_ACTION}: why a message is not in the format.
 * </ul>
 */
public final class PersonalisationSignals {
  private PersonalisationSignals() {}

  public static final SignalKey<List<String>> PROFILE = secretList("profile");
  public static final SignalKey<String> PROFILE_ID = SignalKey.secret("profile-id", String.class);
  public static final SignalKey<Integer> FACTS_REVEALED = SignalKey.of("facts-revealed", Integer.class);
  public static final SignalKey<Double> PROFILE_F1 = SignalKey.of("profile-f1", Double.class);
  public static final SignalKey<Boolean> RESPONSE_OK = SignalKey.of("response-ok", Boolean.class);
  public static final SignalKey<List<String>> RESPONSE_ISSUES = SignalKey.listOf("response-issues", String.class);
  public static final SignalKey<List<String>> TOPICS = SignalKey.listOf("topics", String.class);

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static SignalKey<List<String>> secretList(String name) {
    return new SignalKey<>(name, (Class) List.class, true, String.class);
  }

  /** Every key the user may publish. */
  public static List<SignalKey<?>> all() {
    return List.of(PROFILE, PROFILE_ID, FACTS_REVEALED, PROFILE_F1, RESPONSE_OK, RESPONSE_ISSUES, TOPICS,
        StandardSignals.INVALID_ACTION);
  }
}
