package dev.ludus.agents.djl;

import java.util.List;

/** Test access to the package-private generator, for models of other architectures (tests in other packages). */
public final class GenerationProbe {
  private GenerationProbe() {}

  /** One generated continuation: its ids and their log-probs as the generator recorded them. */
  public record Output(int[] ids, float[] logProbs) {}

  /** Greedy continuations of {@code prompts}, batched in one call, through the key/value cache. */
  public static List<Output> greedy(LanguageModel model, LmTokenizer tokenizer, List<int[]> prompts, int maxNew) {
    Generator g = new Generator(model, tokenizer);
    List<Generator.Request> requests = prompts.stream()
        .map(p -> new Generator.Request(p, Sampling.GREEDY, 1L, maxNew, List.of()))
        .toList();
    return g.generate(requests).stream().map(r -> new Output(r.outputIds(), r.logProbs())).toList();
  }

  /** The ids the generator never emits for {@code tokenizer}. */
  public static int[] excluded(LmTokenizer tokenizer) {
    return Generator.excludedIds(tokenizer);
  }
}
