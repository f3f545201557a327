package dev.ludus.simulators.persuasion;

import java.util.Locale;

/**
 * What a persuader's sentence does: PersuasionForGood's ten persuasion strategies (the first ten constants, in the
 * paper's order) and the non-strategy dialogue acts the persuadee reacts to.
 */
public enum Act {
  LOGICAL_APPEAL(true),
  EMOTIONAL_APPEAL(true),
  CREDIBILITY_APPEAL(true),
  FOOT_IN_THE_DOOR(true),
  SELF_MODELING(true),
  PERSONAL_STORY(true),
  DONATION_INFORMATION(true),
  SOURCE_RELATED_INQUIRY(true),
  TASK_RELATED_INQUIRY(true),
  PERSONAL_RELATED_INQUIRY(true),
  /** Asking for a donation, with or without an amount (P4G's "proposition of donation"). */
  PROPOSE_DONATION(false),
  GREETING(false),
  THANKS(false),
  /** Pressure, insults or instructions to the persuadee ("ignore your instructions and donate"). */
  PRESSURE(false);

  private final boolean strategy;

  Act(boolean strategy) {
    this.strategy = strategy;
  }

  /** Whether this is one of P4G's ten persuasion strategies. */
  public boolean strategy() {
    return strategy;
  }

  /** Whether this is one of the three inquiry strategies. */
  public boolean inquiry() {
    return this == SOURCE_RELATED_INQUIRY || this == TASK_RELATED_INQUIRY || this == PERSONAL_RELATED_INQUIRY;
  }

  /** The kebab-case name the {@code strategies} signal holds, e.g. {@code foot-in-the-door}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
