package dev.ludus.simulators.support;

import java.util.Locale;

/**
 * How an agent turn fits the user's hidden need: RLVER's State-A, State-B and State-C of its {@code emo_trans}
 * table.
 */
public enum Fit {
  /** State-A: the turn meets the hidden need and makes no taboo move. */
  MATCHED,
  /** State-B: neither meets the need nor hurts (another kind of support, small talk, a repeat). */
  NEUTRAL,
  /** State-C: a taboo move (the profile's, or dismissing, blaming, stepping out of the conversation). */
  HARMFUL;

  /** The kebab-case name the {@code support-fit} signal holds. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
