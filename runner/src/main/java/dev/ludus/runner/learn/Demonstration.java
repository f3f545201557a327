package dev.ludus.runner.learn;

import dev.ludus.api.TokenTrace;
import java.util.Arrays;
import java.util.Objects;

/**
 * A supervised target for {@link PolicyLearner#imitate}: the prompt ids and the ids the policy should
 * produce after them (an oracle's reply, a refined reply in Refine-and-Imitate). As for {@link Sample}, only
 * the target tokens are predicted; the prompt is context. Immutable (arrays are copied) and thread-safe.
 *
 * @param promptIds the context; not empty
 * @param targetIds the tokens to imitate; not empty
 */
public record Demonstration(int[] promptIds, int[] targetIds) {
  public Demonstration {
    Objects.requireNonNull(promptIds, "promptIds");
    Objects.requireNonNull(targetIds, "targetIds");
    if (promptIds.length == 0) {
      throw new IllegalArgumentException("promptIds is empty: the first target token needs context");
    }
    if (targetIds.length == 0) {
      throw new IllegalArgumentException("targetIds is empty: a demonstration needs at least one target token");
    }
    Sample.nonNegativeIds("promptIds", promptIds);
    Sample.nonNegativeIds("targetIds", targetIds);
    promptIds = promptIds.clone();
    targetIds = targetIds.clone();
  }

  /** The prompt and output of a token trace, as a target (e.g. an oracle agent's turn). */
  public static Demonstration of(TokenTrace trace) {
    Objects.requireNonNull(trace, "trace");
    return new Demonstration(trace.promptIds(), trace.outputIds());
  }

  @Override
  public int[] promptIds() {
    return promptIds.clone();
  }

  @Override
  public int[] targetIds() {
    return targetIds.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Demonstration d
        && Arrays.equals(promptIds, d.promptIds)
        && Arrays.equals(targetIds, d.targetIds);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(promptIds) + Arrays.hashCode(targetIds);
  }

  @Override
  public String toString() {
    return "Demonstration[" + promptIds.length + " prompt + " + targetIds.length + " target tokens]";
  }
}
