package dev.ludus.simulators.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The emotional-support user's hidden state during one conversation: the profile, the emotion score and what the
 * agent has said (to notice repeats). Immutable and thread-safe; each turn makes a new one.
 *
 * @param profile the user's profile
 * @param emotion the emotion score, 0 to 100
 * @param turns agent messages answered so far
 * @param said the agent's messages so far, normalised
 */
public record SupportState(SupportProfile profile, double emotion, int turns, List<String> said) {
  public SupportState {
    Objects.requireNonNull(profile, "profile");
    if (!(emotion >= 0 && emotion <= 100)) {
      throw new IllegalArgumentException("emotion must be between 0 and 100, was " + emotion);
    }
    said = List.copyOf(said);
  }

  /** The state at the start of a conversation. */
  public static SupportState start(SupportProfile profile, double emotion) {
    return new SupportState(profile, emotion, 0, List.of());
  }

  public Band band() {
    return Band.of(emotion);
  }

  /** Whether the agent already sent {@code text} (after normalising case and white space). */
  public boolean repeats(String text) {
    return said.contains(SupportClassifier.normalise(text));
  }

  /** The state after the agent sent {@code text} and the emotion became {@code next}. */
  public SupportState after(String text, double next) {
    List<String> s = new ArrayList<>(said);
    s.add(SupportClassifier.normalise(text));
    return new SupportState(profile, next, turns + 1, s);
  }
}
