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
 */
public record PreferenceExample(String category, List<Message> chosen, List<Message> rejected) {
  public PreferenceExample {
    Objects.requireNonNull(category, "category");
    if (chosen == null || chosen.isEmpty() || rejected == null || rejected.isEmpty()) {
      throw new IllegalArgumentException("a preference needs a non-empty chosen and rejected conversation");
    }
    chosen = List.copyOf(chosen);
    rejected = List.copyOf(rejected);
  }
}
