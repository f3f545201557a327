package dev.ludus.simulators.profile;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The rule check standing in for RLPA's "would you keep chatting?" judge: what is wrong with a response. The
 * {@link ConfidantRules} apply it; a response passes when it has none of these issues.
 */
public enum ResponseCheck {
  /** A sentence of more than two words overlaps an earlier response sentence by at least half its content words. */
  REPETITION,
  /** Flattery or sycophancy ("you're amazing", "what a great question", "so impressive"). */
  FLATTERY,
  /** Neither raises a topic nor shares a content word with the user's last message. */
  OFF_TOPIC,
  /** Longer than {@value #MAX_WORDS} words: RLPA's user writes at most three sentences and expects the same. */
  TOO_LONG;

  /** Responses longer than this many words fail. */
  public static final int MAX_WORDS = 60;

  static final Pattern FLATTERY_WORDS = Pattern.compile("\\b(you('re| are) (so |really |truly |such an? )?"
      + "(amazing|awesome|brilliant|incredible|wonderful|fantastic|smart|clever|impressive|special|perfect|great)|"
      + "(what|such) an? (great|amazing|excellent|wonderful|fantastic) (question|person|idea)|so impressive|"
      + "i admire you|you're the best|you are the best|genius|flawless|adore you)\\b",
      Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

  /** The kebab-case name the {@code response-issues} signal holds. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
