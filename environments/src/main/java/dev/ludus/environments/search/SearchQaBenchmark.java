package dev.ludus.environments.search;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.AsyncEnvironment;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.Message;
import dev.ludus.api.PluginContext;
import dev.ludus.api.Task;
import dev.ludus.api.TaskSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ludus bench search}: how fast search-qa is on a large generated corpus. It generates a world of about
 * {@code passages} passages, builds the BM25 index, then measures (1) the latency of single searches, p50 and
 * p99, for the questions' own text (what a model types) and for passage titles (what the oracle types), after a
 * warm-up; and (2) environment steps/s: oracle episodes played straight against the environment (no runtime,
 * no episode store), one at a time and {@code concurrency} at once, searches on the context's worker threads.
 */
public final class SearchQaBenchmark {
  private SearchQaBenchmark() {}

  /**
   * What to measure.
   *
   * @param passages the corpus size (default 100,000)
   * @param queries measured searches of each kind (after as many warm-up ones)
   * @param episodes oracle episodes per steps/s measurement
   * @param concurrency episodes in flight in the concurrent measurement
   * @param topK passages per search
   */
  public record Options(int passages, int queries, int episodes, int concurrency, int topK) {
    public Options {
      if (passages < 100 || queries < 1 || episodes < 1 || concurrency < 1 || topK < 1) {
        throw new IllegalArgumentException("passages must be at least 100 and queries, episodes, concurrency and topK "
            + "at least 1; were " + passages + ", " + queries + ", " + episodes + ", " + concurrency + ", " + topK);
      }
    }

    public static Options defaults() {
      return new Options(100_000, 2_000, 2_000, 64, 3);
    }
  }

  /** Measured figures; times in milliseconds. */
  public record Result(int passages, double generateMillis, double indexMillis, double questionP50, double questionP99,
      double titleP50, double titleP99, double stepsPerSecond, double concurrentStepsPerSecond, int concurrency,
      double stepsPerEpisode, int cores) {
    public String format() {
      return String.format(Locale.ROOT, "corpus: %,d passages, generated in %.0f ms, indexed in %.0f ms%n"
          + "search latency, question text: p50 %.3f ms, p99 %.3f ms%n"
          + "search latency, title query:   p50 %.3f ms, p99 %.3f ms%n"
          + "environment steps/s (oracle, %.2f steps per episode): %.0f one episode at a time, %.0f with %d in flight "
          + "(%d cores)", passages, generateMillis, indexMillis, questionP50, questionP99, titleP50, titleP99,
          stepsPerEpisode, stepsPerSecond, concurrentStepsPerSecond, concurrency, cores);
    }
  }

  public static Result run(Options o) throws Exception {
    WorldSpec spec = WorldSpec.ofPassages(0, o.passages());
    long t0 = System.nanoTime();
    SearchData data = SearchData.generated(spec);
    long t1 = System.nanoTime();
    try (PassageIndex index = PassageIndex.build(data.corpus(), 0.9, 0.4)) {
      long t2 = System.nanoTime();
      QuestionGenerator gen = new QuestionGenerator(data.world());
      List<String> questions = new ArrayList<>();
      List<String> titles = new ArrayList<>();
      for (int i = 0; questions.size() < 2 * o.queries(); i++) {
        QaTask t = gen.draw(QuestionGenerator.TYPES, i);
        questions.add(t.turns().get(0).question());
        titles.add(t.turns().get(0).goldTitles().get(0));
      }
      double[] q = latencies(index, questions, o);
      double[] ti = latencies(index, titles, o);
      SearchQaConfig config = SearchQaConfig.defaults().withWorld(spec);
      double[] steps = new double[2];
      double perEpisode;
      try (PluginContext.Owned context = PluginContext.standalone()) {
        BoundEnvironment env = new SearchQaProvider().bind(config).withContext(context);
        play(env, o.episodes() / 4, 1); // warm-up
        long[] a = play(env, o.episodes(), 1);
        long[] b = play(env, o.episodes(), o.concurrency());
        steps[0] = a[0] * 1e9 / a[1];
        steps[1] = b[0] * 1e9 / b[1];
        perEpisode = (double) a[0] / o.episodes();
      }
      return new Result(data.corpus().size(), (t1 - t0) / 1e6, (t2 - t1) / 1e6, percentile(q, 0.5),
          percentile(q, 0.99), percentile(ti, 0.5), percentile(ti, 0.99), steps[0], steps[1], o.concurrency(),
          perEpisode, Runtime.getRuntime().availableProcessors());
    }
  }

  private static double[] latencies(PassageIndex index, List<String> queries, Options o) {
    for (int i = 0; i < o.queries(); i++) {
      index.search(queries.get(o.queries() + i), o.topK()); // warm-up on other queries
    }
    double[] ms = new double[o.queries()];
    for (int i = 0; i < o.queries(); i++) {
      long s = System.nanoTime();
      index.search(queries.get(i), o.topK());
      ms[i] = (System.nanoTime() - s) / 1e6;
    }
    Arrays.sort(ms);
    return ms;
  }

  private static double percentile(double[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }

  /** Plays {@code episodes} oracle episodes, {@code lanes} at a time; returns {steps, nanos}. */
  private static long[] play(BoundEnvironment env, int episodes, int lanes) {
    Agent oracle = env.oracle().orElseThrow();
    TaskSource tasks = env.tasks();
    AtomicInteger next = new AtomicInteger();
    AtomicLong steps = new AtomicLong();
    long start = System.nanoTime();
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (int l = 0; l < lanes; l++) {
      all.add(lane(env, oracle, tasks, next, episodes, steps).toCompletableFuture());
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    return new long[] {steps.get(), System.nanoTime() - start};
  }

  private static CompletionStage<Void> lane(BoundEnvironment env, Agent oracle, TaskSource tasks, AtomicInteger next,
      int episodes, AtomicLong steps) {
    int i = next.getAndIncrement();
    if (i >= episodes) {
      return CompletableFuture.completedFuture(null);
    }
    AsyncEnvironment e = (AsyncEnvironment) env.create();
    Task task = tasks.task(i, 1);
    return e.reset(task, i).thenCompose(r -> {
      List<Message> conversation = new ArrayList<>(r.observation());
      return turn(e, oracle, task, i, 0, conversation, r.tools(), steps);
    }).whenComplete((v, t) -> e.close()).thenCompose(v -> lane(env, oracle, tasks, next, episodes, steps));
  }

  private static CompletionStage<Void> turn(AsyncEnvironment e, Agent oracle, Task task, long seed, int t,
      List<Message> conversation, List<dev.ludus.api.ToolSpec> tools, AtomicLong steps) {
    return oracle.act(new AgentRequest("bench", task, seed, t, conversation, tools)).thenCompose(resp -> {
      Message m = ((AgentResponse.Reply) resp).message();
      return e.step(m).thenCompose(s -> {
        steps.incrementAndGet();
        conversation.add(m);
        conversation.addAll(s.observation());
        return s.done() ? CompletableFuture.completedFuture(null)
            : turn(e, oracle, task, seed, t + 1, conversation, tools, steps);
      });
    });
  }
}
