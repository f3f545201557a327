package dev.ludus.simulators.profile;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The personalisation user's hidden state: the gold profile, which of its facts it has revealed, the agent's
 * earlier response sentences (content-word sets, for the repetition check), the user's last message (for the
 * on-topic check) and the agent's last profile score. Immutable and thread-safe; {@link ConfidantRules} gives a new
 * one per turn. An LLM-driven user can keep this state and the rules and speak for itself.
 *
 * @param profile the gold profile
 * @param revealed indices of the facts revealed so far
 * @param earlier content-word sets of the agent's earlier response sentences
 * @param lastUserMessage what the user said last
 * @param turn agent messages answered
 * @param f1 the last inferred profile's F1 (0 before any)
 */
public record ConfidantState(UserProfile profile, Set<Integer> revealed, List<Set<String>> earlier,
    String lastUserMessage, int turn, double f1) {
  public ConfidantState {
    Objects.requireNonNull(profile, "profile");
    revealed = Collections.unmodifiableSet(new TreeSet<>(revealed));
    earlier = List.copyOf(earlier);
    lastUserMessage = lastUserMessage == null ? "" : lastUserMessage;
  }

  /** The facts revealed so far, in profile order. */
  public List<ProfileFact> revealedFacts() {
    return revealed.stream().map(i -> profile.facts().get(i)).toList();
  }
}
