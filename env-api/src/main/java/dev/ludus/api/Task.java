package dev.ludus.api;

import java.util.Map;
import java.util.Objects;

/**
 * What an episode is about: a level, a hidden target, a question with its gold answer. Tasks are data.
 * Generated tasks are fully determined by their {@code seed}; tasks loaded from files carry their content
 * in {@code fields}. Immutable and thread-safe.
 *
 * @param id a stable identifier (episodes on the same task share it; group-relative methods group by it)
 * @param seed the generator seed that determines a generated task
 * @param fields task content for tasks that are not generated (question, gold answer, ...); may be empty
 */
public record Task(String id, long seed, Map<String, String> fields) {
  public Task {
    Objects.requireNonNull(id, "id");
    fields = fields == null ? Map.of() : Map.copyOf(fields);
  }

  /** A generated task of environment {@code env}, determined by {@code seed}. */
  public static Task generated(String env, long seed) {
    return new Task(env + "/" + seed, seed, Map.of());
  }
}
