package dev.ludus.environments.social;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of Sotopia's actions ({@code AgentAction}): an action type, one of {@code none}, {@code speak},
 * {@code non-verbal communication}, {@code action} or {@code leave}, and its free-text argument. Immutable.
 *
 * <p>{@link #parse} reads Sotopia's JSON ({@code {"action_type": "speak", "argument": "Hi!"}}, anywhere in the message,
 * code fences allowed) or a short form: the type, a colon and the argument ({@code speak: Hi!},
 * {@code action: propose 70}, {@code none}, {@code leave}; brackets around the type allowed). It does not read an
 * action type it does not know, several actions in one message (the first JSON object wins), or plain text without
 * a type.
 *
 * <p>Two arguments of {@code action} are structured, for the rule proxies: {@code propose N} (a value of the scenario's
 * term; the first number after {@code propose}) and {@code accept} (the partner's last proposal).
 */
record SotopiaAction(String type, String argument) {
  static final List<String> TYPES = List.of("none", "speak", "non-verbal communication", "action", "leave");
  static final int MAX_ARGUMENT = 1_000;
  private static final Pattern SHORT = Pattern.compile("(?is)^\\s*\\[?\\s*(none|speak|non-verbal communication|"
      + "action|leave)\\s*\\]?\\s*(?::\\s*(.*))?$");
  private static final Pattern PROPOSE = Pattern.compile("(?i)^\\s*propose\\b\\D{0,40}?(\\d{1,6})\\b");
  private static final Pattern ACCEPT = Pattern.compile("(?i)^\\s*accept\\b");

  static final SotopiaAction NONE = new SotopiaAction("none", "");

  /** The action written in {@code text}, or why it cannot be read. */
  static Result parse(String text) {
    int open = text.indexOf('{');
    int close = text.lastIndexOf('}');
    if (open >= 0 && close > open) {
      try {
        JsonNode node = SotopiaProfiles.JSON.readTree(text.substring(open, close + 1));
        JsonNode type = node.get("action_type");
        JsonNode argument = node.get("argument");
        if (type != null && type.isTextual()) {
          return of(type.asText(), argument == null || argument.isNull() ? "" : argument.asText());
        }
      } catch (java.io.IOException | RuntimeException e) {
        // not JSON: try the short form
      }
    }
    Matcher m = SHORT.matcher(text);
    if (m.matches()) {
      return of(m.group(1), m.group(2) == null ? "" : m.group(2).strip());
    }
    return new Result(Optional.empty(), "write one action as {\"action_type\": TYPE, \"argument\": TEXT} or TYPE: "
        + "TEXT, with TYPE one of " + TYPES);
  }

  private static Result of(String type, String argument) {
    String t = type.strip().toLowerCase(Locale.ROOT);
    if (!TYPES.contains(t)) {
      return new Result(Optional.empty(), "the action type '" + abbreviate(type) + "' is not one of " + TYPES);
    }
    if (argument.length() > MAX_ARGUMENT) {
      return new Result(Optional.empty(), "the argument has " + argument.length() + " characters; at most "
          + MAX_ARGUMENT + " are allowed");
    }
    if ((t.equals("speak") || t.equals("non-verbal communication") || t.equals("action")) && argument.isBlank()) {
      return new Result(Optional.empty(), "a " + t + " action needs an argument");
    }
    return new Result(Optional.of(new SotopiaAction(t, argument.strip())), null);
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }

  /** The value of a structured {@code propose N} action. */
  Optional<Integer> proposal() {
    if (!type.equals("action")) {
      return Optional.empty();
    }
    Matcher m = PROPOSE.matcher(argument);
    return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
  }

  /** Whether this is a structured {@code accept} action. */
  boolean accepts() {
    return type.equals("action") && ACCEPT.matcher(argument).find();
  }

  /** Sotopia's {@code to_natural_language}, after the actor's name. */
  String naturalLanguage() {
    return switch (type) {
      case "speak" -> "said: \"" + argument + "\"";
      case "non-verbal communication" -> "[non-verbal communication] " + argument;
      case "action" -> "[action] " + argument;
      case "leave" -> "left the conversation";
      default -> "did nothing";
    };
  }

  /**
   * A parse: the action, or why there is none.
   *
   * @param action the action read, if any
   * @param error why nothing could be read, else null
   */
  record Result(Optional<SotopiaAction> action, String error) {}
}
