package dev.ludus.agents.djl;

/**
 * How the next token is chosen from the model's logits.
 *
 * <p>Which log-probability is reported: with {@code temperature > 0} it is the log of the token's probability
 * in the distribution actually sampled from: {@code softmax(logits / temperature)} restricted to the
 * {@code topK} most likely tokens, then to the smallest set whose probability reaches {@code topP}, and
 * renormalized. That is the behaviour policy's log-prob an off-policy learner needs for importance ratios; at
 * temperature 1 without top-k or top-p it equals {@link LanguageModel#logProbs(int[], int[])}. With
 * {@code temperature == 0} decoding is greedy (the lowest id wins a tie) and, since a greedy policy is a point
 * mass whose log-prob is always 0, the reported value is the raw model's log-prob at temperature 1 instead.
 *
 * @param temperature 0 for greedy decoding, else the softmax temperature (0 to 100)
 * @param topK keep only the {@code topK} most likely tokens; 0 keeps all
 * @param topP keep the smallest set of most likely tokens whose probability reaches {@code topP}; 1 keeps all
 */
record Sampling(double temperature, int topK, double topP) {
  Sampling {
    if (!(temperature >= 0 && temperature <= 100)) {
      throw new IllegalArgumentException("temperature must be in [0, 100] (0 = greedy), was " + temperature);
    }
    if (topK < 0) {
      throw new IllegalArgumentException("topK must be >= 0 (0 = off), was " + topK);
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new IllegalArgumentException("topP must be in (0, 1] (1 = off), was " + topP);
    }
  }

  static final Sampling GREEDY = new Sampling(0, 0, 1);

  boolean greedy() {
    return temperature == 0;
  }
}
