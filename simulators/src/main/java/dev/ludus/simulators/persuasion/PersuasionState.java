package dev.ludus.simulators.persuasion;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The persuadee's hidden state after some persuader turns: its persona, its propensity to donate and resistance,
 * how often each strategy has been used on it, the persuader's earlier sentences (as content-word sets, for the
 * repetition test), the facts the persuader has stated and the ones it has been asked, and whether it has committed
 * to a donation or left. Immutable and thread-safe: {@link PersuasionRules} gives a new state per turn, so a planner
 * can try messages on a copy. The same state serves the rule-based persuadee and an LLM-driven one.
 *
 * @param persona who the persuadee is
 * @param propensity the hidden propensity to donate, in [0, 1]
 * @param resistance the hidden resistance to persuasion, in [0, 1]
 * @param turn persuader messages answered so far
 * @param uses how many times each strategy has moved the propensity
 * @param earlier the content-word sets of the persuader's earlier sentences
 * @param claims the persuader's stated facts, the first value of each key
 * @param answered the persuadee facts already asked and answered
 * @param declines how many donation requests were declined
 * @param committed the donation promised, which ends the conversation
 * @param left whether the persuadee left the conversation (resistance reached its limit)
 */
public record PersuasionState(Persona persona, double propensity, double resistance, int turn, Map<Act, Integer> uses,
    List<Set<String>> earlier, Map<Claim.Key, String> claims, Set<KbAttribute> answered, int declines,
    Optional<Double> committed, boolean left) {
  public PersuasionState {
    Objects.requireNonNull(persona, "persona");
    uses = Collections.unmodifiableMap(uses.isEmpty() ? new EnumMap<>(Act.class) : new EnumMap<>(uses));
    earlier = List.copyOf(earlier);
    claims = Collections.unmodifiableMap(claims.isEmpty() ? new EnumMap<>(Claim.Key.class) : new EnumMap<>(claims));
    answered = Collections.unmodifiableSet(
        answered.isEmpty() ? EnumSet.noneOf(KbAttribute.class) : EnumSet.copyOf(answered));
    Objects.requireNonNull(committed, "committed");
  }

  /** Whether the conversation is over: a donation was promised or the persuadee left. */
  public boolean ended() {
    return committed.isPresent() || left;
  }

  /** What the persuadee would give if asked now, in dollars: {@link PersuasionRules#willingness}. */
  public double willingness() {
    return PersuasionRules.willingness(propensity);
  }

  /** The donation if the conversation ended now: the promise, nothing after leaving, else {@link #willingness()}. */
  public double donationNow() {
    return committed.orElse(left ? 0.0 : willingness());
  }
}
