package dev.ludus.environments.social;

import dev.ludus.api.SignalKey;
import java.util.List;

/**
 * The signals of {@code sotopia}, per seat: Sotopia's seven evaluation dimensions at the end of the episode (on its
 * scales; here computed by rule proxies, see {@link RuleProxyEvaluator}), their mean, and per turn a rule proxy of
 * Sotopia-RL's utterance attribution; besides {@code success} (the seat's goal met) and {@code invalid-action}.
 */
public final class SotopiaSignals {
  private SotopiaSignals() {}

  /** The seat's goal, as its opening shows it (with any {@code <extra_info>} secret). Secret. */
  public static final SignalKey<String> PRIVATE_GOAL = SignalKey.secret("private-goal", String.class);

  /** The seat's profile secret ({@code AgentProfile.secret}). Secret. */
  public static final SignalKey<String> PROFILE_SECRET = SignalKey.secret("profile-secret", String.class);

  /** Goal completion, 0 to 10. */
  public static final SignalKey<Double> GOAL = SignalKey.of("goal", Double.class);

  /** Believability, 0 to 10. */
  public static final SignalKey<Double> BELIEVABILITY = SignalKey.of("believability", Double.class);

  /** Knowledge gained, 0 to 10. */
  public static final SignalKey<Double> KNOWLEDGE = SignalKey.of("knowledge", Double.class);

  /** Secret kept, −10 (leaked) to 0. */
  public static final SignalKey<Double> SECRET = SignalKey.of("secret", Double.class);

  /** Relationship, −5 to 5. */
  public static final SignalKey<Double> RELATIONSHIP = SignalKey.of("relationship", Double.class);

  /** Social rules, −10 to 0. */
  public static final SignalKey<Double> SOCIAL_RULES = SignalKey.of("social-rules", Double.class);

  /** Financial and material benefits, −5 to 5. */
  public static final SignalKey<Double> FINANCIAL = SignalKey.of("financial-and-material-benefits", Double.class);

  /** The mean of the seven dimensions, as Sotopia's {@code overall_score}. */
  public static final SignalKey<Double> OVERALL = SignalKey.of("overall", Double.class);

  /** At the end: whether the two agreed on a value (a proposal accepted). */
  public static final SignalKey<Boolean> AGREEMENT = SignalKey.of("agreement", Boolean.class);

  /**
   * Per turn: a rule proxy of Sotopia-RL's attribution label of the seat's utterance, −1 to 3: −1 a repeat of an
   * earlier argument of its own, 0 nothing (none, leave, not understood), 1 talk or gesture, 2 a proposal, 3 an
   * accept. The {@code attribution} shaper reads it with {@code weights: signal}.
   */
  public static final SignalKey<Double> UTTERANCE_ATTRIBUTION = SignalKey.of("utterance-attribution", Double.class);

  static List<SignalKey<Double>> dimensions() {
    return List.of(GOAL, BELIEVABILITY, KNOWLEDGE, SECRET, RELATIONSHIP, SOCIAL_RULES, FINANCIAL);
  }
}
