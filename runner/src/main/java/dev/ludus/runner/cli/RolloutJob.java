package dev.ludus.runner.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.AgentStatistics;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.Registry;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.config.Plugins;
import dev.ludus.runner.runtime.EpisodeRuntime;
import dev.ludus.runner.runtime.Rollout;
import dev.ludus.runner.runtime.RolloutOptions;
import dev.ludus.runner.runtime.RunSummary;
import dev.ludus.runner.runtime.RuntimeOptions;
import dev.ludus.runner.shaping.ShapingFactory;
import dev.ludus.runner.shaping.ShapingSpec;
import dev.ludus.shaping.ShapingPipeline;
import dev.ludus.runner.store.EpisodeStore;
import dev.ludus.runner.store.RunDirectory;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;

/**
 * One rollout from names and configuration text to a finished run directory: validates everything before
 * the first episode starts, writes the resolved configuration, plays the episodes into the store with a
 * progress display, and writes the summary.
 */
final class RolloutJob {
  /** The job's inputs, as the CLI gives them. */
  record Spec(String env, String envConfig, String agent, String agentConfig, int episodes, int concurrency,
      long seed, long turnTimeoutMillis, long episodeTimeoutMillis, Path out, boolean progress, String shaping,
      int groupSize, String device) {}

  /** The finished run. */
  record Result(RunDirectory directory, RunSummary summary) {}

  private RolloutJob() {}

  static Result run(Registry registry, Spec spec, PrintWriter out, PrintStream err) throws InterruptedException {
    if (spec.episodes() < 1) {
      throw new IllegalArgumentException("--episodes must be at least 1, was " + spec.episodes());
    }
    if (spec.concurrency() < 1) {
      throw new IllegalArgumentException("--concurrency must be at least 1, was " + spec.concurrency());
    }
    if (spec.turnTimeoutMillis() < 1 || spec.episodeTimeoutMillis() < 1) {
      throw new IllegalArgumentException("--turn-timeout and --episode-timeout must be at least 1 ms");
    }
    if (spec.groupSize() < 1) {
      throw new IllegalArgumentException("--group-size must be at least 1, was " + spec.groupSize());
    }
    if (spec.episodes() % spec.groupSize() != 0) {
      throw new IllegalArgumentException("--episodes (" + spec.episodes() + ") must be a multiple of --group-size ("
          + spec.groupSize() + ")");
    }
    ShapingSpec shapingSpec = spec.shaping() == null ? ShapingSpec.outcomeOnly() : ShapingSpec.read(spec.shaping());
    // the runtime first: its plugin context (sharing its Vert.x) creates the environment, shapers and agent,
    // and closing the runtime closes it, whether the run ends or fails
    try (EpisodeRuntime runtime = EpisodeRuntime.start(RuntimeOptions.defaults(), registry)) {
      BoundEnvironment env = Plugins.environment(registry, spec.env(), spec.envConfig())
          .withContext(runtime.pluginContext()).probe();
      ShapingPipeline pipeline = ShapingFactory.build(registry, shapingSpec, env);
      return run(runtime, env, pipeline, shapingSpec, registry, spec, out, err);
    }
  }

  private static Result run(EpisodeRuntime runtime, BoundEnvironment env, ShapingPipeline pipeline,
      ShapingSpec shapingSpec, Registry registry, Spec spec, PrintWriter out, PrintStream err)
      throws InterruptedException {
    try (Plugins.ConfiguredAgent agent = Plugins.agent(registry, spec.agent(), spec.agentConfig(), env, spec.device())) {
      RunDirectory dir = RunDirectory.create(spec.out(), spec.env() + "-" + spec.agent());
      RolloutOptions options = RolloutOptions.of(spec.episodes(), spec.concurrency(), spec.seed())
          .withTimeouts(spec.turnTimeoutMillis(), spec.episodeTimeoutMillis()).withGroupSize(spec.groupSize());
      writeConfig(dir, spec, env, agent, options, shapingSpec);
      String runId = dir.path().getFileName().toString();
      RunSummary summary;
      try (EpisodeStore store = EpisodeStore.open(dir.episodes());
          Progress progress = Progress.start(spec.env(), spec.episodes(), err, spec.progress())) {
        summary = runtime.run(new Rollout(runId, env, agent.name(), agent.agent(), options, pipeline::scoreAsync),
                store::append, progress)
            .toCompletableFuture().get();
      } catch (ExecutionException e) {
        throw new IllegalStateException("the rollout failed: " + e.getCause(), e.getCause());
      }
      ObjectNode summaryJson = Json.JSON.valueToTree(summary);
      if (agent.agent() instanceof AgentStatistics s) {
        summaryJson.set("agentStatistics", Json.JSON.valueToTree(s.statistics()));
      }
      try {
        Json.JSON.writerWithDefaultPrettyPrinter().writeValue(dir.summary().toFile(), summaryJson);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + dir.summary(), e);
      }
      out.println(summary.oneLine());
      if (!summary.rewardComponents().isEmpty()) {
        StringBuilder sb = new StringBuilder("  reward components (mean raw per episode):");
        summary.rewardComponents().forEach((k, v) -> sb.append(String.format(java.util.Locale.ROOT, " %s %.3f,", k, v)));
        sb.setLength(sb.length() - 1);
        out.println(sb.append(String.format(java.util.Locale.ROOT, "; shaped return %.3f", summary.meanShapedReturn())));
      }
      for (RunSummary.FailureCount f : summary.failures()) {
        out.println("  failed " + f.count() + "x: " + f.example());
      }
      if (summaryJson.has("agentStatistics")) {
        out.println("  agent: " + summaryJson.get("agentStatistics"));
      }
      out.println("run directory: " + dir.path());
      out.flush();
      return new Result(dir, summary);
    }
  }

  private static void writeConfig(RunDirectory dir, Spec spec, BoundEnvironment env, Plugins.ConfiguredAgent agent,
      RolloutOptions options, ShapingSpec shaping) {
    ObjectNode root = Json.YAML.createObjectNode();
    root.put("env", spec.env());
    root.set("envConfig", Json.YAML.valueToTree(env.config()));
    root.put("agent", agent.name());
    root.set("agentConfig", Json.YAML.valueToTree(agent.config()));
    root.set("rollout", Json.YAML.valueToTree(options));
    root.set("shaping", Json.YAML.valueToTree(shaping));
    try {
      Json.YAML.writeValue(dir.config().toFile(), root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.config(), e);
    }
  }
}
