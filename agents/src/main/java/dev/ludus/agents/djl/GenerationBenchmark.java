package dev.ludus.agents.djl;

import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Message;
import dev.ludus.api.Task;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Generation throughput of the {@code djl-lm} agent, two comparisons, each measured in one run and reported as a
 * ratio. Meant for {@code ludus bench agents}.
 *
 * <p>{@link #run}: many concurrent episodes gathered into batches ({@code maxBatch = episodes}) against the same
 * episodes one forward pass each ({@code maxBatch = 1}), on one model with the default tiny architecture. Both runs
 * sample the same tokens (same seeds), so they do the same work.
 *
 * <p>{@link #multiTurn}: the cost of a turn in multi-turn episodes with the cross-turn key/value cache ({@code
 * kvCache}) against without it: concurrent conversations, batched, each turn answered by the model and followed by
 * a user message, so every prompt repeats the whole history. Both sides sample the same tokens (checked), so they
 * do the same work but for the prompt tokens the cache does not recompute.
 *
 * <p>Each mode runs {@link #REPEATS} rounds, interleaved, after a warm-up; the fastest round of each counts. Wall
 * time and the process's CPU time are both reported.
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
      tokens += await(s).tokenTrace().map(t -> t.outputIds().length).orElse(0);
    }
    return new long[] {tokens, System.nanoTime() - start};
  }

  /**
   * One measurement of cached against uncached multi-turn generation.
   *
   * @param episodes concurrent conversations
   * @param turns turns of each
   * @param maxNewTokens the most tokens per reply
   * @param outputTokens tokens generated per round (the same on both sides)
   * @param promptTokens prompt tokens per round (the same on both sides)
   * @param computedPromptTokens prompt tokens the cached side computed per round (the rest came from the cache)
   * @param cachedSeconds wall time of the best cached round
   * @param cachedCpuSeconds the process's CPU time in that round
   * @param uncachedSeconds wall time of the best uncached round
   * @param uncachedCpuSeconds the process's CPU time in that round
   * @param lastTurnCached wall time of the last turn (the longest prompts) in the best cached round
   * @param lastTurnUncached the same without the cache
   */
  public record MultiTurn(int episodes, int turns, int maxNewTokens, long outputTokens, long promptTokens,
      long computedPromptTokens, double cachedSeconds, double cachedCpuSeconds, double uncachedSeconds,
      double uncachedCpuSeconds, double lastTurnCached, double lastTurnUncached) {
    /** Uncached over cached wall time of a round: how many times faster a turn is with the cache. */
    public double ratio() {
      return uncachedSeconds / cachedSeconds;
    }

    /** The same by CPU time. */
    public double cpuRatio() {
      return uncachedCpuSeconds / cachedCpuSeconds;
    }

    public String summary() {
      double turnsPlayed = (double) episodes * turns;
      return String.format(Locale.ROOT,
          "djl-lm multi-turn generation, %d concurrent episodes x %d turns, up to %d tokens a reply, %.0f prompt "
              + "tokens a turn on average: with the kv cache %.2f ms a turn (%.1f%% of prompt tokens computed; "
              + "last turn %.0f ms for all episodes), without %.2f ms a turn (last turn %.0f ms): ratio %.2fx "
              + "(%.2fx by CPU time)",
          episodes, turns, maxNewTokens, promptTokens / turnsPlayed, 1e3 * cachedSeconds / turnsPlayed,
          100.0 * computedPromptTokens / promptTokens, 1e3 * lastTurnCached, 1e3 * uncachedSeconds / turnsPlayed,
          1e3 * lastTurnUncached, ratio(), cpuRatio());
    }
  }

  /** 64 concurrent conversations of 6 turns, up to 4 tokens a reply. */
  public static MultiTurn multiTurn() {
    return multiTurn(64, 6, 4);
  }

  /**
   * Plays {@code episodes} conversations of {@code turns} turns at once, with and without the cache, on the default
   * architecture with a context of 512 (so that no prompt is cut) and the default vocabulary, sampling at
   * temperature 1.
   */
  public static MultiTurn multiTurn(int episodes, int turns, int maxNewTokens) {
    DjlLmAgentProvider.Config config = DjlLmAgentProvider.Config.defaults()
        .withArchitecture(2, 64, 4, 512)
        .withMaxNewTokens(maxNewTokens)
        .withSampling(1.0, 0, 1.0)
        .withBatching(episodes, 20);
    DjlLmAgentProvider.Config off = config.withKvCache(false, 1, 1);
    DjlLmAgentProvider.Config on = config.withKvCache(true, Math.max(episodes, 1), 1 << 12);
    try (LmTokenizer tokenizer = config.tokenizer();
        LanguageModel model = LanguageModel.create(config.spec(tokenizer.vocabSize()), config.device(), config.seed())) {
      conversations(model, tokenizer, on, Math.min(episodes, 8), Math.min(turns, 3), -1);
      conversations(model, tokenizer, off, Math.min(episodes, 8), Math.min(turns, 3), -1);
      Played bestOn = null;
      Played bestOff = null;
      for (int i = 0; i < REPEATS; i++) {
        Played a = conversations(model, tokenizer, off, episodes, turns, i);
        Played b = conversations(model, tokenizer, on, episodes, turns, i);
        if (!a.outputs().equals(b.outputs())) {
          throw new IllegalStateException("the cached and uncached rounds generated different tokens");
        }
        bestOff = bestOff == null || a.nanos() < bestOff.nanos() ? a : bestOff;
        bestOn = bestOn == null || b.nanos() < bestOn.nanos() ? b : bestOn;
      }
      return new MultiTurn(episodes, turns, maxNewTokens, bestOn.outputTokens(), bestOn.promptTokens(),
          bestOn.promptTokens() - bestOn.reused(), bestOn.nanos() / 1e9, bestOn.cpuNanos() / 1e9,
          bestOff.nanos() / 1e9, bestOff.cpuNanos() / 1e9, bestOn.lastTurnNanos() / 1e9,
          bestOff.lastTurnNanos() / 1e9);
    }
  }

  /** One round of conversations: its generated ids (to check both sides did the same work), counts and times. */
  private record Played(List<List<Integer>> outputs, long outputTokens, long promptTokens, long reused, long nanos,
      long cpuNanos, long lastTurnNanos) {}

  private static final List<String> FEEDBACK = List.of("no . my number is higher than that . try again",
      "no . it is lower . you have a few guesses left", "wrong . think again and give me one number",
      "not that one . it is between the last two", "no . higher please");

  private static Played conversations(LanguageModel model, LmTokenizer tokenizer, DjlLmAgentProvider.Config config,
      int episodes, int turns, long round) {
    try (DjlLmAgent agent = DjlLmAgent.sharing(model, tokenizer, config)) {
      List<List<Message>> chats = new ArrayList<>();
      List<List<Integer>> outputs = new ArrayList<>();
      for (int i = 0; i < episodes; i++) {
        chats.add(new ArrayList<>(List.of(Message.system("let us play a game . i think of a number and you guess it ."),
            Message.user("my number is between 1 and " + (10 + i % 90) + " . what is your first guess ?"))));
        outputs.add(new ArrayList<>());
      }
      long prompt = 0;
      long output = 0;
      long last = 0;
      long cpu = cpuNanos();
      long start = System.nanoTime();
      for (int t = 0; t < turns; t++) {
        long turnStart = System.nanoTime();
        List<CompletableFuture<AgentResponse>> stages = new ArrayList<>(episodes);
        for (int i = 0; i < episodes; i++) {
          long seed = 1_000 * round + i;
          stages.add(agent.act(new AgentRequest("bench-" + round + "-" + i, Task.generated("bench", seed), seed, t,
              chats.get(i), List.of())).toCompletableFuture());
        }
        for (int i = 0; i < episodes; i++) {
          AgentResponse.Reply reply = await(stages.get(i));
          var trace = reply.tokenTrace().orElseThrow();
          prompt += trace.promptIds().length;
          output += trace.outputIds().length;
          for (int id : trace.outputIds()) {
            outputs.get(i).add(id);
          }
          chats.get(i).add(reply.message());
          chats.get(i).add(Message.user(FEEDBACK.get((i + t) % FEEDBACK.size())));
        }
        last = System.nanoTime() - turnStart;
      }
      long nanos = System.nanoTime() - start;
      long cpuUsed = cpuNanos() - cpu;
      return new Played(outputs, output, prompt, agent.kvCacheStatistics().reusedTokens(), nanos, cpuUsed, last);
    }
  }

  private static AgentResponse.Reply await(CompletableFuture<AgentResponse> stage) {
    AgentResponse r;
    try {
      r = stage.get(10, TimeUnit.MINUTES);
    } catch (Exception e) {
      throw new IllegalStateException("benchmark turn failed: " + e, e);
    }
    if (r instanceof AgentResponse.Reply reply) {
      return reply;
    }
    throw new IllegalStateException("benchmark turn failed: " + ((AgentResponse.Failure) r).reason());
  }

  /** The CPU time of this process so far (every thread), or 0 where the JVM does not say. */
  static long cpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime() : 0;
  }

  public static void main(String[] args) {
    int episodes = args.length > 0 ? Integer.parseInt(args[0]) : 64;
    int tokens = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    int turns = args.length > 2 ? Integer.parseInt(args[2]) : 6;
    System.out.println(run(episodes, tokens).summary());
    System.out.println(multiTurn(episodes, turns, Math.min(tokens, 4)).summary());
  }
}
