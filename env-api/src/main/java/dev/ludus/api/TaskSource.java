package dev.ludus.api;

/**
 * Yields an environment's tasks. Generated sources make task {@code i} from a seed; file-backed sources
 * index into their file. Implementations are immutable and thread-safe.
 */
@FunctionalInterface
public interface TaskSource {
  /**
   * The task at {@code index} for a run seeded with {@code runSeed}; the same arguments give the same task.
   */
  Task task(long index, long runSeed);

  /** A source of generated tasks for {@code env}, the task seed mixing the run seed and the index. */
  static TaskSource generated(String env) {
    return (index, runSeed) -> Task.generated(env, Seeds.mix(runSeed, index));
  }
}
