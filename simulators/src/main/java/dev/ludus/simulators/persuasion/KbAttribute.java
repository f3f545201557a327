package dev.ludus.simulators.persuasion;

import java.util.Locale;

/** The persuadee facts of Refine-and-Imitate's knowledge base that a persuader may ask about. */
public enum KbAttribute {
  HOW_ARE_YOU,
  HEARD_OF_THE_ORG,
  HAVE_KIDS,
  DONATED_BEFORE;

  /** R&amp;I's name, e.g. {@code heard-of-the-org}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
