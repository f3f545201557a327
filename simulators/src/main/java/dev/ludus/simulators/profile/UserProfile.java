package dev.ludus.simulators.profile;

import java.util.List;

/**
 * A user's gold profile: its facts, in the order the user reveals them within a topic. Immutable.
 *
 * @param id a unique name, e.g. {@code user-07}
 * @param facts at least one
 */
public record UserProfile(String id, List<ProfileFact> facts) {
  public UserProfile {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("a profile needs an id");
    }
    facts = List.copyOf(facts == null ? List.of() : facts);
    if (facts.isEmpty()) {
      throw new IllegalArgumentException("profile " + id + " has no facts");
    }
  }

  /** The facts' texts, one a line: RLPA's gold profile. */
  public List<String> lines() {
    return facts.stream().map(ProfileFact::text).toList();
  }
}
