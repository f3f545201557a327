package dev.ludus.runner.learn;

import dev.ludus.api.TokenTrace;
import dev.ludus.api.Turn;
import java.util.Arrays;
import java.util.Objects;

/**
 * One agent turn as the learner trains on it: the exact token ids the policy saw and produced, the
 * behaviour log-probabilities recorded when it produced them, and one advantage per produced token. The
 * loss covers the output tokens only: the prompt (system text, the environment's or simulated user's
 * messages, tool results, earlier turns) conditions the output and is never a target. Text is never
 * re-tokenized: a turn without token ids is refused ({@link #of(Turn, float[])}).
 *
 * <p>Immutable (arrays are copied in and out) and thread-safe.
 *
 * @param promptIds the ids the policy was conditioned on; not empty (the first output token needs context)
 * @param outputIds the ids the policy produced; not empty
 * @param behaviourLogProbs the log-probability of each output token under the policy that sampled it
 *     ({@link TokenTrace#logProbs()}); finite and at most 0 (a small rounding excess up to 1e-3 is allowed)
 * @param advantages one finite advantage per output token
 * @param valueTarget the critic's target for the value of the state in which this turn was written, or null
 *     when the advantages came without a critic; with one, the learner adds the clipped value loss on the
 *     policy's value head ({@link LearnerConfig#valueCoefficient()})
 * @param policyVersion the version of the policy that produced the output, or -1 if unknown
 * @param temperature the sampling temperature the output was drawn at (above 0, at most 100): the learner scores
 *     the policy's logits divided by it, the distribution the behaviour log-probabilities are in. A greedy
 *     sampler (temperature 0) records the log-probabilities at temperature 1, so its samples say 1
 */
public record Sample(
    int[] promptIds,
    int[] outputIds,
    float[] behaviourLogProbs,
    float[] advantages,
    ValueTarget valueTarget,
    long policyVersion,
    double temperature) {

  /** A sample drawn at temperature 1. */
  public Sample(int[] promptIds, int[] outputIds, float[] behaviourLogProbs, float[] advantages,
      ValueTarget valueTarget, long policyVersion) {
    this(promptIds, outputIds, behaviourLogProbs, advantages, valueTarget, policyVersion, 1.0);
  }

  /**
   * What the critic regresses on for one turn: a single number, since the turn is one step (turn-level GAE)
   * and its value is that of the state in which the agent writes it (the value head at the prompt's last
   * token).
   *
   * @param target the return the value moves toward (PPO-GAE's {@code A_t + V_t}); finite
   * @param oldValue the value the critic gave that state when the advantages were estimated: the centre of the
   *     value clip ({@link LearnerConfig#valueClip()}); finite
   */
  public record ValueTarget(double target, double oldValue) {
    public ValueTarget {
      if (!Double.isFinite(target)) {
        throw new IllegalArgumentException("valueTarget.target must be finite, was " + target);
      }
      if (!Double.isFinite(oldValue)) {
        throw new IllegalArgumentException("valueTarget.oldValue must be finite, was " + oldValue);
      }
    }
  }

  public Sample {
    Objects.requireNonNull(promptIds, "promptIds");
    Objects.requireNonNull(outputIds, "outputIds");
    Objects.requireNonNull(behaviourLogProbs, "behaviourLogProbs");
    Objects.requireNonNull(advantages, "advantages");
    if (promptIds.length == 0) {
      throw new IllegalArgumentException("promptIds is empty: the first output token needs context, and the learner "
          + "never re-tokenizes text, so the backend must report the prompt's token ids");
    }
    if (outputIds.length == 0) {
      throw new IllegalArgumentException("outputIds is empty: a sample needs at least one produced token");
    }
    nonNegativeIds("promptIds", promptIds);
    nonNegativeIds("outputIds", outputIds);
    sameLength("behaviourLogProbs", behaviourLogProbs.length, outputIds.length);
    sameLength("advantages", advantages.length, outputIds.length);
    for (int i = 0; i < behaviourLogProbs.length; i++) {
      if (!Float.isFinite(behaviourLogProbs[i]) || behaviourLogProbs[i] > 1e-3f) {
        throw new IllegalArgumentException("behaviourLogProbs[" + i + "] must be a finite log-probability (at most 0), "
            + "was " + behaviourLogProbs[i]);
      }
    }
    finite("advantages", advantages);
    if (!(temperature > 0 && temperature <= 100)) {
      throw new IllegalArgumentException("temperature must be in (0, 100] (a greedy sampler's samples are at 1), was "
          + temperature);
    }
    promptIds = promptIds.clone();
    outputIds = outputIds.clone();
    behaviourLogProbs = behaviourLogProbs.clone();
    advantages = advantages.clone();
  }

  /** A sample from a token trace, with one advantage per output token. */
  public static Sample of(TokenTrace trace, float[] advantages) {
    Objects.requireNonNull(trace, "trace");
    return new Sample(trace.promptIds(), trace.outputIds(), trace.logProbs(), advantages, null,
        trace.policyVersion());
  }

  /** A sample from a token trace whose every output token gets the same advantage (an outcome advantage). */
  public static Sample of(TokenTrace trace, double advantage) {
    Objects.requireNonNull(trace, "trace");
    float[] a = new float[trace.outputIds().length];
    Arrays.fill(a, (float) advantage);
    return of(trace, a);
  }

  /**
   * A sample from an episode's turn. Refuses a turn whose backend reported no token ids: the learner trains on
   * exactly the tokens the policy produced and never re-tokenizes the message text.
   */
  public static Sample of(Turn turn, float[] advantages) {
    Objects.requireNonNull(turn, "turn");
    if (turn.tokens() == null) {
      throw new IllegalArgumentException("turn " + turn.index() + " has no token trace: its agent backend reported "
          + "no token ids, and the learner never re-tokenizes text; train only on turns of a backend that reports "
          + "tokens (e.g. djl-lm)");
    }
    try {
      return of(turn.tokens(), advantages);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("turn " + turn.index() + ": " + e.getMessage(), e);
    }
  }

  /** This sample with the critic's target {@code target} and the value {@code oldValue} it had at estimation. */
  public Sample withValueTarget(double target, double oldValue) {
    return new Sample(promptIds, outputIds, behaviourLogProbs, advantages, new ValueTarget(target, oldValue),
        policyVersion, temperature);
  }

  /**
   * This sample as drawn at sampling temperature {@code samplingTemperature}; 0 (greedy, whose recorded
   * log-probabilities are at temperature 1) gives 1.
   */
  public Sample withTemperature(double samplingTemperature) {
    return new Sample(promptIds, outputIds, behaviourLogProbs, advantages, valueTarget, policyVersion,
        samplingTemperature == 0 ? 1.0 : samplingTemperature);
  }

  /** Whether this sample carries a value target (and so trains the critic too). */
  public boolean hasValueTarget() {
    return valueTarget != null;
  }

  @Override
  public int[] promptIds() {
    return promptIds.clone();
  }

  @Override
  public int[] outputIds() {
    return outputIds.clone();
  }

  @Override
  public float[] behaviourLogProbs() {
    return behaviourLogProbs.clone();
  }

  @Override
  public float[] advantages() {
    return advantages.clone();
  }

  /** The number of prompt tokens. */
  public int promptLength() {
    return promptIds.length;
  }

  /** The number of output tokens (the ones the loss covers). */
  public int outputLength() {
    return outputIds.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Sample s
        && Arrays.equals(promptIds, s.promptIds)
        && Arrays.equals(outputIds, s.outputIds)
        && Arrays.equals(behaviourLogProbs, s.behaviourLogProbs)
        && Arrays.equals(advantages, s.advantages)
        && Objects.equals(valueTarget, s.valueTarget)
        && policyVersion == s.policyVersion
        && temperature == s.temperature;
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(promptIds), Arrays.hashCode(outputIds), Arrays.hashCode(behaviourLogProbs),
        Arrays.hashCode(advantages), valueTarget, policyVersion, temperature);
  }

  @Override
  public String toString() {
    return "Sample[" + promptIds.length + " prompt + " + outputIds.length + " output tokens, policy " + policyVersion
        + (temperature == 1.0 ? "" : ", temperature " + temperature) + "]";
  }

  static void nonNegativeIds(String field, int[] ids) {
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] < 0) {
        throw new IllegalArgumentException(field + "[" + i + "] must be a token id (at least 0), was " + ids[i]);
      }
    }
  }

  static void sameLength(String field, int length, int outputs) {
    if (length != outputs) {
      throw new IllegalArgumentException(field + " has " + length + " entries but there are " + outputs
          + " output tokens");
    }
  }

  static void finite(String field, float[] values) {
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        throw new IllegalArgumentException(field + "[" + i + "] must be finite, was " + values[i]);
      }
    }
  }
}
