package dev.ludus.runner.cli;

import dev.ludus.api.BoundEnvironment;
import dev.ludus.runner.config.Plugins;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ludus bench shaping}. */
@Command(name = "shaping", mixinStandardHelpOptions = true,
    description = "Turns/s with no shaping against a pipeline of five shapers and two transforms.")
public class ShapingBenchCommand implements Callable<Integer> {
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

  @Mixin BenchOptions.Env envOption;

  @Mixin BenchOptions.Agent agentOption;

  @Option(names = "--shaping", paramLabel = "FILE", description = "The pipeline (default: five shapers, two transforms).")
  String shaping;

  @Option(names = "--episodes", defaultValue = "20000", description = "Episodes per measurement (default: ${DEFAULT-VALUE}).")
  int episodes;

  @Option(names = "--concurrency", defaultValue = "256", description = "Concurrency (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--group-size", defaultValue = "8", description = "Episodes per task (default: ${DEFAULT-VALUE}).")
  int groupSize;

  @Option(names = "--rounds", defaultValue = "9",
      description = "Measured rounds, each both sides back to back in alternating order (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--warmup-seconds", defaultValue = "20",
      description = "Unrecorded rounds of both sides first, for at least this long (default: ${DEFAULT-VALUE}).")
  double warmupSeconds;

  @Mixin CommonOptions common;
  @Spec CommandSpec spec;
  @Inject LudusServices services;

  @Override
  public Integer call() throws Exception {
    String env = envOption.name;
    String agent = agentOption.name;
    if (episodes < 1 || rounds < 1 || concurrency < 1 || groupSize < 1) {
      throw new IllegalArgumentException("--episodes, --rounds, --concurrency and --group-size must be at least 1");
    }
    if (!(warmupSeconds >= 0 && warmupSeconds <= 3600)) {
      throw new IllegalArgumentException("--warmup-seconds must be in [0, 3600], was " + warmupSeconds);
    }
    if (episodes % groupSize != 0) {
      throw new IllegalArgumentException("--episodes (" + episodes + ") must be a multiple of --group-size ("
          + groupSize + ")");
    }
    dev.ludus.runner.config.ShapingSpec shapingSpec =
        dev.ludus.runner.config.ShapingSpec.read(shaping == null ? DEFAULT_PIPELINE : shaping);
    PrintWriter out = spec.commandLine().getOut();
    // the benchmark starts its own runtimes; the plugins share one context for the whole command
    try (BenchPlugged plugged = BenchPlugged.of(services.registry(), env, null, agent)) {
      BoundEnvironment bound = plugged.env();
      Plugins.ConfiguredAgent a = plugged.agent();
      dev.ludus.shaping.ShapingPipeline pipeline = dev.ludus.runner.config.ShapingFactory.build(
          services.registry(), shapingSpec, bound);
      out.printf("bench shaping: %s with agent %s, %d episodes, concurrency %d, groups of %d, store on, %d cores%n",
          env, agent, episodes, concurrency, groupSize, java.lang.Runtime.getRuntime().availableProcessors());
      out.printf("pipeline: %d shapers (%s), %d transforms, combiner %s%n", pipeline.shapers().size(),
          String.join(", ", pipeline.shapers().stream().map(s -> s.name()).toList()), pipeline.transforms().size(),
          pipeline.combinerName());
      out.flush();
      dev.ludus.runner.bench.ShapingBenchmark.Result r = dev.ludus.runner.bench.ShapingBenchmark.run(bound, agent,
          a.agent(), pipeline, episodes, concurrency, groupSize, rounds, warmupSeconds);
      out.printf(Locale.ROOT, "%d warm-up rounds, then %d measured rounds (both sides back to back, order "
          + "alternating)%n", r.warmupRounds(), rounds);
      out.printf(Locale.ROOT, "no shaping: %.0f turns/s (median of %s)%n", r.plainTurnsPerSecond(), fmt(r.plain()));
      out.printf(Locale.ROOT, "shaping:    %.0f turns/s (median of %s)%n", r.shapedTurnsPerSecond(), fmt(r.shaped()));
      out.printf(Locale.ROOT, "ratio shaped/plain: %.3f, the median of the rounds' ratios %s (shaping costs %.1f%% "
          + "of throughput)%n", r.ratio(), fmt3(r.ratios()), 100 * (1 - r.ratio()));
      out.flush();
    }
    return 0;
  }

  private static String fmt3(List<Double> xs) {
    return xs.stream().map(x -> String.format(Locale.ROOT, "%.3f", x)).toList().toString();
  }

  private static String fmt(List<Double> xs) {
    return xs.stream().map(x -> String.format(Locale.ROOT, "%.0f", x)).toList().toString();
  }
}
