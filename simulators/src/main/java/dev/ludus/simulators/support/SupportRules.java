package dev.ludus.simulators.support;

import java.util.Collections;

/**
 * The update rules of the emotional-support user, apart from how messages are read ({@link SupportClassifier}) and
 * what the user says ({@link SupportReplies}), so that a user driven by a language model can reuse them. Immutable
 * and thread-safe.
 *
 * <p>A turn's {@link Fit} against the hidden need: unreadable turns have none and leave the emotion as it was; a
 * taboo move (the profile's or a {@link Move#universalTaboos() universal} one) is {@link Fit#HARMFUL}; otherwise the
 * move that meets the need is {@link Fit#MATCHED}, unless the message repeats one the agent already sent (then
 * {@link Fit#NEUTRAL}); anything else is {@link Fit#NEUTRAL}.
 *
 * <p>The change follows RLVER's {@code emo_trans} table (declared in {@code hard_player_simulator_dsv3.py}):
 * Emotion-A {+10, +5, −10}, Emotion-B {+15, 0, −20}, Emotion-C {+20, 0, −10} for State-A/B/C. Which of the user's
 * emotions is Emotion-A, B or C the source does not say; here it is the user's current level [INFERRED]: A from 70,
 * B from 40, C below 40. The emotion stays within 0 to 100; SAGE's simulator clips each change to ±10
 * ({@code deltaClip}), RLVER's does not (0).
 *
 * @param deltaClip the largest change per turn in either direction; 0 for no clip (RLVER)
 */
public record SupportRules(double deltaClip) {
  private static final double[][] EMO_TRANS = {
      {10, 5, -10}, // Emotion-A (>= 70)
      {15, 0, -20}, // Emotion-B (40..69)
      {20, 0, -10}, // Emotion-C (< 40)
  };

  public SupportRules {
    if (!(deltaClip >= 0) || deltaClip > 100) {
      throw new IllegalArgumentException("deltaClip must be between 0 (no clip) and 100, was " + deltaClip);
    }
  }

  /** RLVER's rules: no clip. */
  public static SupportRules rlver() {
    return new SupportRules(0);
  }

  /** How a readable turn fits the profile; {@code repeated} says the agent sent the same message before. */
  public Fit fit(SupportProfile profile, SupportClassifier.Reading reading, boolean repeated) {
    if (!Collections.disjoint(reading.moves(), profile.allTaboos())) {
      return Fit.HARMFUL;
    }
    if (reading.moves().contains(profile.need().metBy()) && !repeated) {
      return Fit.MATCHED;
    }
    return Fit.NEUTRAL;
  }

  /** The change of emotion for a turn of {@code fit} when the user's emotion was {@code before}. */
  public double delta(double before, Fit fit) {
    int level = before >= 70 ? 0 : before >= 40 ? 1 : 2;
    double d = EMO_TRANS[level][fit.ordinal()];
    return deltaClip > 0 ? Math.max(-deltaClip, Math.min(deltaClip, d)) : d;
  }

  /** The emotion after a turn of {@code fit}: {@code before} plus the change, kept within 0 to 100. */
  public double next(double before, Fit fit) {
    return Math.max(0, Math.min(100, before + delta(before, fit)));
  }
}
