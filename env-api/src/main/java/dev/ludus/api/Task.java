package dev.ludus.api;

import java.util.Map;
import java.util.Objects;

/**
 * What an episode is about: a level, a hidden target, a question with its gold answer. Tasks are data.
 * Generated tasks are fully determined by their {@code seed}; tasks loaded from files carry their content
 * in {@code fields}. Immutable and thread-safe.
 *
 * <p>Agents see the whole task only when they are {@link PrivilegedAgent privileged} (oracles); others get
 * {@link #withheld()} (see {@link AgentRequest#task()}). Shapers and the episode file always see the whole task.
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

  /**
   * What an agent that is not {@link PrivilegedAgent privileged} gets of this task: its id and seed, no fields (no
   * gold answer, no private goal). Such an agent knows the task only from its observation.
   */
  public Task withheld() {
    return fields.isEmpty() ? this : new Task(id, seed, Map.of());
  }

  /**
   * This task as {@code agent} may see it: whole for a {@link PrivilegedAgent}, {@link #withheld()} for any other.
   * The runtime builds every {@link AgentRequest} with it.
   */
  public Task visibleTo(Agent agent) {
    return agent instanceof PrivilegedAgent ? this : withheld();
  }

  /**
   * One seat's view of this task: its id and seed with the seat's {@link SeatStart#privateInfo private
   * information} as the fields, in place of the task's own (which may hold every seat's secrets).
   */
  public Task seatView(Map<String, String> privateInfo) {
    return new Task(id, seed, privateInfo);
  }

  /** A generated task of environment {@code env}, determined by {@code seed}. */
  public static Task generated(String env, long seed) {
    return new Task(env + "/" + seed, seed, Map.of());
  }
}
