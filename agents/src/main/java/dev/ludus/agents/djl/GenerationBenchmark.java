package dev.ludus.agents.djl;

import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Message;
import dev.ludus.api.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Generation throughput of the {@code djl-lm} agent: many concurrent episodes gathered into batches
 * ({@code maxBatch = episodes}) against the same episodes one forward pass each ({@code maxBatch = 1}), on
 * one model with the default tiny architecture, measured in the same run and reported as a ratio. Both runs
 * sample the same tokens (same seeds), so they do the same work. Each mode runs {@link #REPEATS} rounds,
 * interleaved, after a warm-up; the fastest round of each counts. Meant for {@code ludus bench agents}.
 */
public final class GenerationBenchmark {
  /** Rounds per mode, interleaved; the fastest of each counts, which damps the noise of a shared machine. */
  static final int REPEATS = 3;

  private GenerationBenchmark() {}

  /**
   * One measurement.
   *
   * @param episodes concurrent episodes per run
   * @param maxNewTokens the most tokens per reply
   * @param batchedTokens tokens generated with batching
   * @param batchedSeconds wall time with batching
   * @param largestBatch the largest batch the batched run formed
   * @param unbatchedTokens tokens generated one episode per forward pass
   * @param unbatchedSeconds wall time without batching
   */
  public record Result(int episodes, int maxNewTokens, long batchedTokens, double batchedSeconds, int largestBatch,
      long unbatchedTokens, double unbatchedSeconds) {
    public double batchedTokensPerSecond() {
      return batchedTokens / batchedSeconds;
    }

    public double unbatchedTokensPerSecond() {
      return unbatchedTokens / unbatchedSeconds;
    }

    /** Batched over unbatched tokens per second. */
    public double ratio() {
      return batchedTokensPerSecond() / unbatchedTokensPerSecond();
    }

    public String summary() {
      return String.format(Locale.ROOT,
          "djl-lm generation, %d concurrent episodes, up to %d tokens each: batched (largest batch %d) %.0f tokens/s, "
              + "unbatched %.0f tokens/s, ratio %.1fx",
          episodes, maxNewTokens, largestBatch, batchedTokensPerSecond(), unbatchedTokensPerSecond(), ratio());
    }
  }

  /** 64 concurrent episodes, up to 16 tokens each. */
  public static Result run() {
    return run(64, 16);
  }

  public static Result run(int episodes, int maxNewTokens) {
    DjlLmAgentProvider.Config config = DjlLmAgentProvider.Config.defaults()
        .withMaxNewTokens(maxNewTokens)
        .withSampling(1.0, 0, 1.0);
    try (LmTokenizer tokenizer = config.tokenizer();
        LanguageModel model = LanguageModel.create(config.spec(tokenizer.vocabSize()), config.device(), config.seed());
        DjlLmAgent batched = DjlLmAgent.sharing(model, tokenizer, config.withBatching(episodes, 20));
        DjlLmAgent unbatched = DjlLmAgent.sharing(model, tokenizer, config.withBatching(1, 0))) {
      round(batched, Math.min(episodes, 8), 1_000);
      round(unbatched, 4, 1_000);
      long[] u = null;
      long[] b = null;
      for (int i = 0; i < REPEATS; i++) {
        u = best(u, round(unbatched, episodes, 0));
        b = best(b, round(batched, episodes, 0));
      }
      return new Result(episodes, maxNewTokens, b[0], b[1] / 1e9, batched.worker().statistics().largestBatch(), u[0], u[1] / 1e9);
    }
  }

  private static long[] best(long[] a, long[] b) {
    return a == null || b[1] < a[1] ? b : a;
  }

  /** Plays one turn of {@code episodes} episodes at once; returns {tokens, nanoseconds}. */
  private static long[] round(DjlLmAgent agent, int episodes, long seedBase) {
    long start = System.nanoTime();
    List<CompletableFuture<AgentResponse>> stages = new ArrayList<>(episodes);
    for (int i = 0; i < episodes; i++) {
      long seed = seedBase + i;
      stages.add(agent.act(new AgentRequest("bench-" + seed, Task.generated("bench", seed), seed, 0,
          List.of(Message.system("play a game ."), Message.user("guess a number between 1 and " + (i % 100))),
          List.of())).toCompletableFuture());
    }
    long tokens = 0;
    for (CompletableFuture<AgentResponse> s : stages) {
      AgentResponse r;
      try {
        r = s.get(10, TimeUnit.MINUTES);
      } catch (Exception e) {
        throw new IllegalStateException("benchmark turn failed: " + e, e);
      }
      if (r instanceof AgentResponse.Reply reply) {
        tokens += reply.tokenTrace().map(t -> t.outputIds().length).orElse(0);
      } else {
        throw new IllegalStateException("benchmark turn failed: " + ((AgentResponse.Failure) r).reason());
      }
    }
    return new long[] {tokens, System.nanoTime() - start};
  }

  public static void main(String[] args) {
    int episodes = args.length > 0 ? Integer.parseInt(args[0]) : 64;
    int tokens = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    System.out.println(run(episodes, tokens).summary());
  }
}
