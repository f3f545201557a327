package dev.ludus.api.chat;

import java.util.ArrayList;
import java.util.List;

/**
 * How a request samples: the OpenAI sampling parameters, log-probs, and vLLM's token ids. The constructor
 * rejects a bad value with an {@link IllegalArgumentException} naming the field, the value and what is
 * allowed. Immutable and thread-safe.
 *
 * @param temperature sampling temperature, 0..2 (default 1)
 * @param topP nucleus sampling mass, (0, 1] (default 1)
 * @param maxTokens the most tokens to generate ({@code max_tokens}), >= 1 (default 1024)
 * @param stop stop sequences, non-empty strings (default none)
 * @param seed the sampling seed sent to the server, or null for none
 * @param n completions per request, 1..128 (default 1)
 * @param logprobs ask for the log-prob of each generated token (default false)
 * @param topLogprobs how many alternatives per token to ask for, 0..20; needs {@code logprobs}
 * @param returnTokenIds vLLM only: ask for the exact prompt and output token ids ({@code return_token_ids}, and
 *     {@code return_tokens_as_token_ids} with log-probs). Other servers may reject the unknown fields
 */
public record Sampling(
    double temperature,
    double topP,
    int maxTokens,
    List<String> stop,
    Long seed,
    int n,
    boolean logprobs,
    int topLogprobs,
    boolean returnTokenIds) {

  public Sampling {
    if (!(temperature >= 0 && temperature <= 2)) {
      throw bad("temperature", temperature, "a number in [0, 2]");
    }
    if (!(topP > 0 && topP <= 1)) {
      throw bad("topP", topP, "a number in (0, 1]");
    }
    if (maxTokens < 1) {
      throw bad("maxTokens", maxTokens, "an integer >= 1");
    }
    List<String> s = new ArrayList<>();
    for (String x : stop == null ? List.<String>of() : stop) {
      if (x == null || x.isEmpty()) {
        throw bad("stop", stop, "non-empty strings");
      }
      s.add(x);
    }
    stop = List.copyOf(s);
    if (n < 1 || n > 128) {
      throw bad("n", n, "an integer in 1..128");
    }
    if (topLogprobs < 0 || topLogprobs > 20) {
      throw bad("topLogprobs", topLogprobs, "an integer in 0..20");
    }
    if (topLogprobs > 0 && !logprobs) {
      throw bad("topLogprobs", topLogprobs, "0 unless logprobs is true");
    }
  }

  /** Temperature 1, top-p 1, 1024 tokens, no stop, no seed, one completion, no log-probs or token ids. */
  public static Sampling defaults() {
    return new Builder().build();
  }

  /** Greedy and reproducible: temperature 0 with {@code seed}, so a client may cache the completion. */
  public static Sampling greedy(long seed) {
    return new Builder().temperature(0).seed(seed).build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these settings. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Whether the same request gives the same completion (temperature 0 and a seed): only such requests are
   * cached and merged while in flight.
   */
  public boolean deterministic() {
    return temperature == 0.0 && seed != null;
  }

  private static IllegalArgumentException bad(String field, Object value, String allowed) {
    return new IllegalArgumentException("sampling: " + field + " cannot be '" + value + "'; it takes " + allowed);
  }

  /** Builds {@link Sampling}, starting from the defaults. Not thread-safe. */
  public static final class Builder {
    private double temperature = 1.0;
    private double topP = 1.0;
    private int maxTokens = 1024;
    private List<String> stop = List.of();
    private Long seed;
    private int n = 1;
    private boolean logprobs;
    private int topLogprobs;
    private boolean returnTokenIds;

    private Builder() {}

    private Builder(Sampling s) {
      temperature = s.temperature();
      topP = s.topP();
      maxTokens = s.maxTokens();
      stop = s.stop();
      seed = s.seed();
      n = s.n();
      logprobs = s.logprobs();
      topLogprobs = s.topLogprobs();
      returnTokenIds = s.returnTokenIds();
    }

    public Builder temperature(double v) { temperature = v; return this; }
    public Builder topP(double v) { topP = v; return this; }
    public Builder maxTokens(int v) { maxTokens = v; return this; }
    public Builder stop(List<String> v) { stop = v; return this; }
    public Builder seed(Long v) { seed = v; return this; }
    public Builder n(int v) { n = v; return this; }
    public Builder logprobs(boolean v) { logprobs = v; return this; }
    public Builder topLogprobs(int v) { topLogprobs = v; return this; }
    public Builder returnTokenIds(boolean v) { returnTokenIds = v; return this; }

    /** The settings; throws {@link IllegalArgumentException} naming a bad field. */
    public Sampling build() {
      return new Sampling(temperature, topP, maxTokens, stop, seed, n, logprobs, topLogprobs, returnTokenIds);
    }
  }
}
