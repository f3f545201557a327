package dev.ludus.agents.openai;

import java.util.regex.Pattern;

/**
 * Removes secrets from text meant for people (failure reasons, logs): the API key itself wherever it
 * appears, any {@code Bearer <token>}, and anything shaped like an OpenAI key ({@code sk-...}). Immutable.
 */
final class Redactor {
  static final String MASK = "[REDACTED]";
  private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[^\\s\"',;]+");
  private static final Pattern SK = Pattern.compile("\\bsk-[A-Za-z0-9_\\-]{6,}");

  private final String secret;

  Redactor(String secret) {
    this.secret = secret == null || secret.isEmpty() ? null : secret;
  }

  String apply(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    if (secret != null) {
      out = out.replace(secret, MASK);
    }
    out = BEARER.matcher(out).replaceAll("$1" + MASK);
    return SK.matcher(out).replaceAll(MASK);
  }

  /** At most {@code max} characters of {@code text}, redacted, on one line. */
  String excerpt(String text, int max) {
    if (text == null) {
      return "";
    }
    // redact before cutting, so that a key split by the cut cannot survive in part
    String oneLine = apply(text).replaceAll("\\s+", " ").trim();
    return oneLine.length() <= max ? oneLine : oneLine.substring(0, max) + "… (" + oneLine.length() + " chars)";
  }
}
