package dev.ludus.runner.rm;

import dev.ludus.api.Message;
import java.util.List;
import java.util.Objects;

/**
 * One preference: two conversations on the same prompt, the chosen one better than the rejected one. Immutable.
 *
 * @param category what the pair is about, for per-category accuracy ({@code ludus rm eval}): an episode pair's
 *     environment, a file's {@code category} key (RewardBench's subsets) or "all"
 * @param chosen the preferred conversation, its prompt included; not empty
 * @param rejected the other conversation, its prompt included; not empty
 * @param group what the pair was mined from, so that a split keeps a group's pairs together (an episode pair's task
 *     and seat: pairs of one group share episodes); null for a pair of its own
 */
public record PreferenceExample(String category, List<Message> chosen, List<Message> rejected, String group) {
  public PreferenceExample {
    Objects.requireNonNull(category, "category");
    if (chosen == null || chosen.isEmpty() || rejected == null || rejected.isEmpty()) {
      throw new IllegalArgumentException("a preference needs a non-empty chosen and rejected conversation");
    }
    chosen = List.copyOf(chosen);
    rejected = List.copyOf(rejected);
  }

  /** A pair of its own (no group). */
  public PreferenceExample(String category, List<Message> chosen, List<Message> rejected) {
    this(category, chosen, rejected, null);
  }
}
