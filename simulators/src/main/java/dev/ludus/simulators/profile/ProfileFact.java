package dev.ludus.simulators.profile;

import java.util.List;
import java.util.Locale;

/**
 * One fact of a user profile, as RLPA's gold profile holds one a line, tagged with the topic on which the user
 * reveals it and the keywords an inferred profile line must contain to match it. Immutable; validated on
 * construction.
 *
 * @param topic the topic's name, a key of the table's topics
 * @param text the fact as the user says it, e.g. {@code I work as a nurse.}
 * @param keywords the words (lower case) that a profile line must all contain to match this fact, e.g. {@code [nurse]}
 */
public record ProfileFact(String topic, String text, List<String> keywords) {
  public ProfileFact {
    if (topic == null || topic.isBlank()) {
      throw new IllegalArgumentException("a fact needs a topic: " + text);
    }
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("a fact of topic " + topic + " has no text");
    }
    keywords = keywords == null ? List.of() : keywords.stream().map(k -> k.strip().toLowerCase(Locale.ROOT)).toList();
    if (keywords.isEmpty() || keywords.stream().anyMatch(String::isEmpty)) {
      throw new IllegalArgumentException("fact '" + text + "' needs at least one non-blank keyword");
    }
  }
}
