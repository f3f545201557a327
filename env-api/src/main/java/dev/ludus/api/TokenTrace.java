package dev.ludus.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.Objects;

/**
 * The exact tokens an agent's backend produced for one message, and their log-probabilities under the
 * policy that sampled them. What the learner trains on is exactly this: a conversation is never
 * re-tokenized. Immutable (the arrays are copied) and thread-safe.
 *
 * @param promptIds the token ids of the prompt the model saw, if the backend reports them (else empty)
 * @param outputIds the token ids the model produced
 * @param logProbs the log-probability of each produced token, same length as {@code outputIds}
 * @param policyVersion the version of the weights that produced them (for staleness), or -1 if unknown
 */
public record TokenTrace(
    @JsonProperty("prompt_ids") int[] promptIds,
    @JsonProperty("output_ids") int[] outputIds,
    @JsonProperty("logprobs") float[] logProbs,
    @JsonProperty("policy_version") long policyVersion) {
  public TokenTrace {
    promptIds = promptIds == null ? new int[0] : promptIds.clone();
    outputIds = Objects.requireNonNull(outputIds, "outputIds").clone();
    logProbs = Objects.requireNonNull(logProbs, "logProbs").clone();
    if (outputIds.length != logProbs.length) {
      throw new IllegalArgumentException(
          "outputIds (" + outputIds.length + ") and logProbs (" + logProbs.length + ") differ in length");
    }
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
  public float[] logProbs() {
    return logProbs.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TokenTrace t
        && Arrays.equals(promptIds, t.promptIds)
        && Arrays.equals(outputIds, t.outputIds)
        && Arrays.equals(logProbs, t.logProbs)
        && policyVersion == t.policyVersion;
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(promptIds), Arrays.hashCode(outputIds), Arrays.hashCode(logProbs), policyVersion);
  }

  @Override
  public String toString() {
    return "TokenTrace[" + outputIds.length + " tokens, policy " + policyVersion + "]";
  }
}
