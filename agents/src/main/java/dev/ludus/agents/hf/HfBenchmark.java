package dev.ludus.agents.hf;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.agents.djl.DjlLmAgent;
import dev.ludus.agents.djl.DjlLmAgentProvider;
import dev.ludus.agents.djl.LanguageModel;
import dev.ludus.agents.djl.LmTokenizer;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Message;
import dev.ludus.api.Task;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code ludus bench hf}: a random model of the Qwen3 architecture (about 100M parameters at the default
 * {@link Shape#QWEN3_100M}, with Qwen3's vocabulary size) on the CPU, measuring in one run (a) greedy generation
 * tokens/s with the key/value cache (the worker's batched generation of (b)) against a greedy loop that recomputes
 * the whole sequence (and the vocabulary head at every position) each token, (b) batched against unbatched
 * generation through the {@code djl-lm} worker, and (c) the tokens/s of a LoRA update (forward, backward into the
 * adapters only, a step on them) against a bare forward/backward of every weight of the same model. Ratios are the
 * point; absolute figures depend on the machine and its load.
 */
public final class HfBenchmark {
  /**
   * The model's shape.
   *
   * @param hidden width
   * @param layers decoder layers
   * @param heads query heads
   * @param kvHeads key/value heads
   * @param headDim head width
   * @param intermediate MLP width
   * @param vocab vocabulary (embedding rows; tied head)
   */
  public record Shape(int hidden, int layers, int heads, int kvHeads, int headDim, int intermediate, int vocab) {
    /** About 100M parameters: Qwen3's vocabulary (77.8M in the tied embedding) and 8 layers of width 512. */
    public static final Shape QWEN3_100M = new Shape(512, 8, 8, 4, 64, 1536, 151936);
    /** A tiny model for a quick run. */
    public static final Shape TINY = new Shape(64, 2, 4, 2, 16, 128, 4096);

    long parameters() {
      long layer = (long) hidden * heads * headDim * 2 + 2L * hidden * kvHeads * headDim + 3L * hidden * intermediate
          + 2L * hidden + 2L * headDim;
      return (long) vocab * hidden + layers * layer + hidden;
    }
  }

  /** What one run measured. */
  public record Result(Shape shape, int sequences, int newTokens, double cachedTps, double uncachedTps,
      double cachedCpuTps, double uncachedCpuTps, double batchedTps, double unbatchedTps, double batchedCpuTps,
      double unbatchedCpuTps, double loraTps, double bareTps, double loraCpuTps, double bareCpuTps) {
    /** Wall-clock figures, then per CPU second (what a loaded machine distorts least) in parentheses. */
    public String format() {
      return String.format(Locale.ROOT, "model: Qwen3 architecture, %.1fM parameters (width %d, %d layers, vocab %d)%n"
          + "(a) generation, %d sequences x %d tokens: cached (the worker, as b) %.1f tok/s (cpu %.1f), uncached "
          + "(every position recomputed each token) %.1f tok/s (cpu %.1f): cache %.2fx (cpu %.2fx)%n"
          + "(b) djl-lm worker, %d episodes: batched %.1f tok/s (cpu %.1f), unbatched %.1f tok/s (cpu %.1f): batching "
          + "%.2fx (cpu %.2fx)%n"
          + "(c) training step on %d x %d tokens: LoRA update %.1f tok/s (cpu %.1f), bare forward/backward of every "
          + "weight %.1f tok/s (cpu %.1f): LoRA %.2fx (cpu %.2fx)",
          shape.parameters() / 1e6, shape.hidden(), shape.layers(), shape.vocab(), sequences, newTokens, cachedTps,
          cachedCpuTps, uncachedTps, uncachedCpuTps, cachedTps / uncachedTps, cachedCpuTps / uncachedCpuTps,
          sequences, batchedTps, batchedCpuTps, unbatchedTps, unbatchedCpuTps, batchedTps / unbatchedTps,
          batchedCpuTps / unbatchedCpuTps, sequences, 64, loraTps, loraCpuTps, bareTps, bareCpuTps, loraTps / bareTps,
          loraCpuTps / bareCpuTps);
    }
  }

  private HfBenchmark() {}

  /** Writes the random model into a temporary directory and measures (a), (b) and (c). */
  public static Result run(Shape shape, int sequences, int newTokens) {
    Path dir;
    try {
      dir = Files.createTempDirectory("ludus-bench-hf");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      write(dir, shape);
      // the whole measurement twice, the first a warm-up: the JVM's first model ran several times slower than
      // later ones in every phase here, warm-up rounds within a phase notwithstanding
      batching(dir, shape, sequences, newTokens);
      double[] batching = batching(dir, shape, sequences, newTokens);
      uncached(dir, shape, sequences, newTokens);
      double[] plain = uncached(dir, shape, sequences, newTokens);
      training(dir, sequences);
      double[] train = training(dir, sequences);
      return new Result(shape, sequences, newTokens, batching[0], plain[0], batching[2], plain[1], batching[0],
          batching[1], batching[2], batching[3], train[0], train[1], train[2], train[3]);
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // a temporary directory left behind
      }
    }
  }

  private static void write(Path dir, Shape s) {
    ObjectMapper json = new ObjectMapper();
    TinyHfModel.write(dir, List.of("higher lower correct my number is 1 2 3 4 5 6 7 8 guess"), 0);
    ObjectNode c = json.createObjectNode();
    c.put("model_type", "qwen3").put("vocab_size", s.vocab()).put("hidden_size", s.hidden())
        .put("intermediate_size", s.intermediate()).put("num_hidden_layers", s.layers())
        .put("num_attention_heads", s.heads()).put("num_key_value_heads", s.kvHeads()).put("head_dim", s.headDim())
        .put("rms_norm_eps", 1e-6).put("rope_theta", 1000000.0).put("max_position_embeddings", 4096)
        .put("tie_word_embeddings", true).put("hidden_act", "silu");
    try {
      json.writeValue(dir.resolve(HfModels.CONFIG).toFile(), c);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    TinyHfModel.weights(dir, c, 1);
  }

  private static List<int[]> prompts(int n, int length, int vocab, long seed) {
    Random r = new Random(seed);
    List<int[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int[] p = new int[length];
      for (int j = 0; j < length; j++) {
        p[j] = 300 + r.nextInt(Math.min(vocab, 4000) - 300);
      }
      out.add(p);
    }
    return out;
  }

  /**
   * (a)'s uncached side: a greedy loop on 32-token prompts that recomputes every position each token (the cached side
   * is (b)'s batched worker, which feeds one token per step against the key/value cache).
   */
  private static double[] uncached(Path dir, Shape s, int n, int newTokens) {
    try (LanguageModel model = HfModels.load(dir, "cpu", null, false, 0)) {
      List<int[]> seqs = prompts(n, 32, s.vocab(), 7);
      for (int w = 0; w < 3; w++) {
        model.forward(seqs); // warm-up
      }
      long cpu = cpuNanos();
      long start = System.nanoTime();
      for (int t = 0; t < newTokens; t++) {
        float[][][] logits = model.forward(seqs);
        List<int[]> next = new ArrayList<>(n);
        for (int b = 0; b < n; b++) {
          float[] row = logits[b][seqs.get(b).length - 1];
          int best = 0;
          for (int i = 1; i < row.length; i++) {
            best = row[i] > row[best] ? i : best;
          }
          int[] grown = java.util.Arrays.copyOf(seqs.get(b), seqs.get(b).length + 1);
          grown[grown.length - 1] = best;
          next.add(grown);
        }
        seqs = next;
      }
      double wall = (double) n * newTokens / ((System.nanoTime() - start) / 1e9);
      return new double[] {wall, (double) n * newTokens / ((cpuNanos() - cpu) / 1e9)};
    }
  }

  /** (b): the same turns batched by the worker, then one at a time. */
  private static double[] batching(Path dir, Shape s, int n, int newTokens) {
    try (LanguageModel model = HfModels.load(dir, "cpu", null, false, 0);
        LmTokenizer tokenizer = HfTokenizer.load(dir, s.vocab(), java.util.Map.of())) {
      DjlLmAgentProvider.Config config = DjlLmAgentProvider.Config.defaults().withSampling(0, 0, 1)
          .withMaxNewTokens(newTokens);
      double[] batched;
      double[] unbatched;
      try (DjlLmAgent agent = DjlLmAgent.sharing(model, tokenizer, config.withBatching(n, 5))) {
        tokensPerSecond(agent, n, 150);
        batched = tokensPerSecond(agent, n, 200);
      }
      try (DjlLmAgent agent = DjlLmAgent.sharing(model, tokenizer, config.withBatching(1, 0))) {
        tokensPerSecond(agent, 1, 150);
        unbatched = tokensPerSecond(agent, n, 200);
      }
      return new double[] {batched[0], unbatched[0], batched[1], unbatched[1]};
    }
  }

  /** Wall-clock and CPU-time tokens/s of n concurrent turns. */
  private static double[] tokensPerSecond(DjlLmAgent agent, int n, long seedBase) {
    long cpu = cpuNanos();
    long start = System.nanoTime();
    List<CompletableFuture<AgentResponse>> replies = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      replies.add(agent.act(new AgentRequest("b" + i, Task.generated("t", seedBase + i), seedBase + i, 0,
          List.of(Message.user("my number is " + i + ". guess higher or lower")), List.of()))
          .toCompletableFuture());
    }
    long tokens = 0;
    for (CompletableFuture<AgentResponse> r : replies) {
      try {
        AgentResponse response = r.get(30, TimeUnit.MINUTES);
        if (!(response instanceof AgentResponse.Reply reply) || reply.tokens() == null) {
          throw new IllegalStateException("generation failed: " + response);
        }
        tokens += reply.tokens().outputIds().length;
      } catch (Exception e) {
        throw new IllegalStateException("bench hf: generation failed: " + e, e);
      }
    }
    return new double[] {tokens / ((System.nanoTime() - start) / 1e9), tokens / ((cpuNanos() - cpu) / 1e9)};
  }

  /** (c): LoRA update and bare forward/backward tokens/s, wall and CPU time, on n sequences of 64 tokens. */
  private static double[] training(Path dir, int n) {
    int length = 64;
    double[] lora;
    double[] bare;
    LoraConfig adapters = new LoraConfig(8, 16, 0, HfConfig.projections());
    try (LanguageModel model = HfModels.load(dir, "cpu", adapters, false, 0)) {
      lora = step(model, n, length, true);
    }
    try (LanguageModel model = HfModels.load(dir, "cpu", null, false, 0)) {
      bare = step(model, n, length, false);
    }
    return new double[] {lora[0], bare[0], lora[1], bare[1]};
  }

  private static double[] step(LanguageModel model, int n, int length, boolean update) {
    double best = 0;
    double bestCpu = 0;
    for (int round = 0; round < 3; round++) { // the first round warms up; the best of the other two counts
      long cpu = cpuNanos();
      long start = System.nanoTime();
      try (NDManager m = model.manager().newSubManager()) {
        List<int[]> seqs = prompts(n, length, model.spec().vocabSize(), round);
        long[] ids = new long[n * length];
        for (int b = 0; b < n; b++) {
          for (int j = 0; j < length; j++) {
            ids[b * length + j] = seqs.get(b)[j];
          }
        }
        NDArray tokens = m.create(ids, new ai.djl.ndarray.types.Shape(n, length));
        NDArray mask = m.ones(new ai.djl.ndarray.types.Shape(n, length));
        try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
          NDArray logits = model.logits(new ParameterStore(m, false), tokens, mask, true);
          NDArray loss = logits.logSoftmax(-1).get(":, :-1, :").mean().neg();
          collector.backward(loss);
        }
        if (update) {
          model.update(() -> model.parameters().forEach(p -> {
            if (p.getValue().requiresGradient()) {
              NDArray w = p.getValue().getArray();
              w.subi(w.getGradient().mul(1e-3f));
              w.getGradient().subi(w.getGradient());
            }
          }));
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double cpuSeconds = (cpuNanos() - cpu) / 1e9;
      if (round > 0) {
        best = Math.max(best, n * length / seconds);
        bestCpu = Math.max(bestCpu, n * length / cpuSeconds);
      }
    }
    return new double[] {best, bestCpu};
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
