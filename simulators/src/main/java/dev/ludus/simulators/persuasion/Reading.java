package dev.ludus.simulators.persuasion;

import java.util.List;
import java.util.Optional;

/**
 * What the persuadee understood of one persuader message. Immutable.
 *
 * @param readable whether the message could be read at all (not blank, some English words); when false,
 *     {@link #whyUnreadable} says why and the rest is empty
 * @param whyUnreadable the reason a message is not readable, or empty
 * @param sentences the message's sentences (at most {@link PersuasionReader#MAX_SENTENCES})
 * @param acts the acts of each sentence, in sentence order (a sentence may have none)
 * @param askedAmount the amount named in a donation request, in dollars, if any
 * @param asked the knowledge-base facts the message asks about
 * @param claims the facts the message states
 */
public record Reading(boolean readable, String whyUnreadable, List<String> sentences, List<List<Act>> acts,
    Optional<Double> askedAmount, List<KbAttribute> asked, List<Claim> claims) {
  public Reading {
    sentences = List.copyOf(sentences);
    acts = acts.stream().map(List::copyOf).toList();
    asked = List.copyOf(asked);
    claims = List.copyOf(claims);
  }

  static Reading unreadable(String why) {
    return new Reading(false, why, List.of(), List.of(), Optional.empty(), List.of(), List.of());
  }

  /** Every act of the message, each once, in order of first appearance. */
  public List<Act> allActs() {
    return acts.stream().flatMap(List::stream).distinct().toList();
  }

  /** Whether the message asks for a donation. */
  public boolean proposesDonation() {
    return allActs().contains(Act.PROPOSE_DONATION);
  }
}
