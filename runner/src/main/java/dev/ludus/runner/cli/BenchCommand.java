package dev.ludus.runner.cli;

import dev.ludus.api.BoundEnvironment;
import dev.ludus.runner.bench.RuntimeBenchmark;
import dev.ludus.runner.config.Plugins;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ludus bench ...}: benchmarks that print ratios measured in one run. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks (ratios measured in one run).",
    subcommands = {BenchCommand.Runtime.class, BenchCommand.Shaping.class, BenchCommand.Agents.class})
public class BenchCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code ludus bench runtime}. */
  @Command(name = "runtime", mixinStandardHelpOptions = true,
      description = "Turns/s of the full runtime (store on) against a bare Java loop, at several concurrencies.")
  public static class Runtime implements Callable<Integer> {
    @Option(names = "--env", defaultValue = "guess-number", description = "Environment (default: ${DEFAULT-VALUE}).")
    String env;

    @Option(names = "--env-config", paramLabel = "YAML-or-JSON", description = "Environment config.")
    String envConfig;

    @Option(names = "--agent", defaultValue = "oracle", description = "Agent (default: ${DEFAULT-VALUE}).")
    String agent;

    @Option(names = "--episodes", defaultValue = "20000", description = "Episodes per measurement (default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--concurrency", split = ",", defaultValue = "1,256",
        description = "Concurrency levels (default: ${DEFAULT-VALUE}).")
    int[] concurrency;

    @Mixin CommonOptions common;
    @Spec CommandSpec spec;
    @Inject LudusServices services;

    @Override
    public Integer call() throws Exception {
      if (episodes < 1) {
        throw new IllegalArgumentException("--episodes must be at least 1, was " + episodes);
      }
      if (Arrays.stream(concurrency).anyMatch(c -> c < 1)) {
        throw new IllegalArgumentException("--concurrency levels must be at least 1, were " + Arrays.toString(concurrency));
      }
      BoundEnvironment bound = Plugins.environment(services.registry(), env, envConfig);
      PrintWriter out = spec.commandLine().getOut();
      try (Plugins.ConfiguredAgent a = Plugins.agent(services.registry(), agent, null, bound)) {
        out.printf("bench runtime: %s with agent %s, %d episodes per measurement, %d cores%n", env, agent, episodes,
            java.lang.Runtime.getRuntime().availableProcessors());
        out.flush();
        List<RuntimeBenchmark.Row> rows = RuntimeBenchmark.run(bound, agent, a.agent(), episodes, concurrency);
        out.printf("%12s %14s %16s %8s %18s %8s %8s%n", "concurrency", "bare turns/s", "runtime turns/s", "ratio",
            "no-store turns/s", "ratio", "blocked");
        for (RuntimeBenchmark.Row r : rows) {
          out.printf(Locale.ROOT, "%12d %14.0f %16.0f %8.3f %18.0f %8.3f %8d%n", r.concurrency(),
              r.bareTurnsPerSecond(), r.runtimeTurnsPerSecond(), r.ratio(), r.runtimeNoStoreTurnsPerSecond(),
              r.runtimeNoStoreTurnsPerSecond() / r.bareTurnsPerSecond(), r.blockedThreadWarnings());
        }
        out.println("ratio = runtime turns/s (episode store on) / bare-loop turns/s, measured in this run;"
            + " the second ratio is without the store");
        out.flush();
      }
      return 0;
    }
  }

  /** {@code ludus bench shaping}. */
  @Command(name = "shaping", mixinStandardHelpOptions = true,
      description = "Turns/s with no shaping against a pipeline of five shapers and two transforms.")
  public static class Shaping implements Callable<Integer> {
    /**
     * Five shapers and two transforms that suit guess-number (its actions are {@code <answer>N</answer>}, so
     * {@code format} is meaningful there); any other pipeline with {@code --shaping}.
     */
    static final String DEFAULT_PIPELINE = """
        shapers:
          - name: outcome
          - name: info-gain
            weight: 0.5
          - name: potential
            config: {signal: candidate-count, scale: -0.01}
          - name: format
            weight: 0.1
          - name: length-penalty
            weight: 0
        transforms:
          - name: running-norm
            components: [info-gain]
          - name: clip
            components: [potential]
        """;

    @Option(names = "--env", defaultValue = "guess-number", description = "Environment (default: ${DEFAULT-VALUE}).")
    String env;

    @Option(names = "--agent", defaultValue = "oracle", description = "Agent (default: ${DEFAULT-VALUE}).")
    String agent;

    @Option(names = "--shaping", paramLabel = "FILE", description = "The pipeline (default: five shapers, two transforms).")
    String shaping;

    @Option(names = "--episodes", defaultValue = "20000", description = "Episodes per measurement (default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--concurrency", defaultValue = "256", description = "Concurrency (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--group-size", defaultValue = "8", description = "Episodes per task (default: ${DEFAULT-VALUE}).")
    int groupSize;

    @Option(names = "--rounds", defaultValue = "3", description = "Alternating measurements (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Mixin CommonOptions common;
    @Spec CommandSpec spec;
    @Inject LudusServices services;

    @Override
    public Integer call() throws Exception {
      if (episodes < 1 || rounds < 1 || concurrency < 1 || groupSize < 1) {
        throw new IllegalArgumentException("--episodes, --rounds, --concurrency and --group-size must be at least 1");
      }
      if (episodes % groupSize != 0) {
        throw new IllegalArgumentException("--episodes (" + episodes + ") must be a multiple of --group-size ("
            + groupSize + ")");
      }
      BoundEnvironment bound = Plugins.environment(services.registry(), env, null);
      dev.ludus.shaping.ShapingPipeline pipeline = dev.ludus.runner.shaping.ShapingFactory.build(services.registry(),
          dev.ludus.runner.shaping.ShapingSpec.read(shaping == null ? DEFAULT_PIPELINE : shaping), bound);
      PrintWriter out = spec.commandLine().getOut();
      try (Plugins.ConfiguredAgent a = Plugins.agent(services.registry(), agent, null, bound)) {
        out.printf("bench shaping: %s with agent %s, %d episodes, concurrency %d, groups of %d, store on, %d cores%n",
            env, agent, episodes, concurrency, groupSize, java.lang.Runtime.getRuntime().availableProcessors());
        out.printf("pipeline: %d shapers (%s), %d transforms, combiner %s%n", pipeline.shapers().size(),
            String.join(", ", pipeline.shapers().stream().map(s -> s.name()).toList()), pipeline.transforms().size(),
            pipeline.combinerName());
        out.flush();
        dev.ludus.runner.bench.ShapingBenchmark.Result r = dev.ludus.runner.bench.ShapingBenchmark.run(bound, agent,
            a.agent(), pipeline, episodes, concurrency, groupSize, rounds);
        out.printf(Locale.ROOT, "no shaping: %.0f turns/s (median of %s)%n", r.plainTurnsPerSecond(), fmt(r.plain()));
        out.printf(Locale.ROOT, "shaping:    %.0f turns/s (median of %s)%n", r.shapedTurnsPerSecond(), fmt(r.shaped()));
        out.printf(Locale.ROOT, "ratio shaped/plain: %.3f (shaping costs %.1f%% of throughput)%n", r.ratio(),
            100 * (1 - r.ratio()));
        out.flush();
      }
      return 0;
    }

    private static String fmt(List<Double> xs) {
      return xs.stream().map(x -> String.format(Locale.ROOT, "%.0f", x)).toList().toString();
    }
  }

  /** {@code ludus bench agents}. */
  @Command(name = "agents", mixinStandardHelpOptions = true,
      description = "Agent backends: the openai backend against the mock server, and djl-lm batched vs unbatched.")
  public static class Agents implements Callable<Integer> {
    @Option(names = "--episodes", defaultValue = "64", description = "djl-lm: concurrent episodes (default: ${DEFAULT-VALUE}).")
    int episodes;

    @Option(names = "--tokens", defaultValue = "16", description = "djl-lm: tokens per reply (default: ${DEFAULT-VALUE}).")
    int tokens;

    @Option(names = "--only", paramLabel = "PART", description = "Run one part only: openai or djl-lm.")
    String only;

    @Mixin CommonOptions common;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      if (episodes < 1 || tokens < 1) {
        throw new IllegalArgumentException("--episodes and --tokens must be at least 1");
      }
      if (only != null && !only.equals("openai") && !only.equals("djl-lm")) {
        throw new IllegalArgumentException("--only must be openai or djl-lm, was '" + only + "'");
      }
      PrintWriter out = spec.commandLine().getOut();
      if (only == null || only.equals("openai")) {
        out.println("(a) openai backend against the mock server in its own process (200 ms latency, concurrency 1000)");
        out.flush();
        try {
          out.println("    " + dev.ludus.agents.openai.OpenAiThroughputBenchmark.run(
              dev.ludus.agents.openai.OpenAiThroughputBenchmark.Options.defaults()).format().replace("\n", "\n    "));
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException("the mock server could not be started", e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return 1;
        }
        out.flush();
      }
      if (only == null || only.equals("djl-lm")) {
        out.println("(b) " + dev.ludus.agents.djl.GenerationBenchmark.run(episodes, tokens).summary());
      }
      out.flush();
      return 0;
    }

  }
}
