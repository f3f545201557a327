package dev.ludus.simulators.intent;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The intent user's reply templates, and their reading back into an {@link IntentBelief} (which the oracle uses to
 * rebuild what the conversation established). Stateless and thread-safe.
 */
public final class IntentReplies {
  private static final Pattern YES = Pattern.compile("Yes, the (.+?) is (.+)\\.");
  private static final Pattern NO = Pattern.compile("No, the (.+?) is not (.+)\\.");
  private static final Pattern IS = Pattern.compile("The (.+?) is (.+)\\.");
  private static final Pattern NEITHER = Pattern.compile("Neither: the (.+?) is not (.+) or (.+)\\.");
  private static final Pattern NOT_SURE = Pattern.compile("I'm not sure about the (.+)\\.");

  private IntentReplies() {}

  static final String OPENING = "Hi! I'd like some help with %s. Ask me what you need to know.";

  static String yes(String attribute, String value) {
    return "Yes, the " + attribute + " is " + value + ".";
  }

  static String no(String attribute, String value) {
    return "No, the " + attribute + " is not " + value + ".";
  }

  static String is(String attribute, String value) {
    return "The " + attribute + " is " + value + ".";
  }

  static String neither(String attribute, String first, String second) {
    return "Neither: the " + attribute + " is not " + first + " or " + second + ".";
  }

  static String notSure(String attribute) {
    return "I'm not sure about the " + attribute + ".";
  }

  static String notUnderstood(String reason) {
    return "I don't understand. " + reason + " Ask me about one attribute, or give the final specification.";
  }

  /** {@code belief} updated by what {@code reply} says; unchanged if the reply is not one of the templates. */
  public static IntentBelief apply(IntentBelief belief, String reply) {
    IntentSpec spec = belief.spec();
    String r = reply == null ? "" : reply.trim();
    Matcher m;
    if ((m = NOT_SURE.matcher(r)).matches()) {
      return spec.index(m.group(1)).map(belief::notSure).orElse(belief);
    }
    if ((m = NEITHER.matcher(r)).matches()) {
      String a = m.group(2);
      String b = m.group(3);
      return spec.index(m.group(1)).map(i -> belief.isNot(i, List.of(a, b))).orElse(belief);
    }
    if ((m = YES.matcher(r)).matches() || (m = IS.matcher(r)).matches()) {
      String v = m.group(2);
      return spec.index(m.group(1)).map(i -> belief.is(i, v)).orElse(belief);
    }
    if ((m = NO.matcher(r)).matches()) {
      String v = m.group(2);
      return spec.index(m.group(1)).map(i -> belief.isNot(i, List.of(v))).orElse(belief);
    }
    return belief;
  }
}
