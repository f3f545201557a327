package dev.ludus.runner.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.AgentStatistics;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Registry;
import dev.ludus.api.chat.ChatEndpoint;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.config.LlmSection;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * One rollout from names and configuration text to a finished run directory: validates everything before
 * the first episode starts, writes the resolved configuration, plays the episodes into the store with a
 * progress display, and writes the summary.
 *
 * <p>In a multi-agent environment it plays matches: {@code --agent} plays every seat (self-play, one instance), and
 * {@code --seat-agent SEAT=AGENT} / {@code --seat-agent-config SEAT=CONFIG} give a seat an agent instance of its own
 * ({@code bot:NAME} is the {@code bot} agent with {@code name: NAME}; a seat given only a config gets its own
 * instance of {@code --agent}, e.g. a frozen checkpoint of the policy).
 */
final class RolloutJob {
  /** The job's inputs, as the CLI gives them. */
  record Spec(String env, String envConfig, String agent, String agentConfig, int episodes, int concurrency,
      long seed, long turnTimeoutMillis, long episodeTimeoutMillis, Path out, boolean progress, String shaping,
      int groupSize, String device, Map<String, String> seatAgents, Map<String, String> seatAgentConfigs,
      String llm) {
    Spec {
      seatAgents = seatAgents == null ? Map.of() : new LinkedHashMap<>(seatAgents);
      seatAgentConfigs = seatAgentConfigs == null ? Map.of() : new LinkedHashMap<>(seatAgentConfigs);
    }

    Spec(String env, String envConfig, String agent, String agentConfig, int episodes, int concurrency, long seed,
        long turnTimeoutMillis, long episodeTimeoutMillis, Path out, boolean progress, String shaping, int groupSize,
        String device) {
      this(env, envConfig, agent, agentConfig, episodes, concurrency, seed, turnTimeoutMillis, episodeTimeoutMillis,
          out, progress, shaping, groupSize, device, Map.of(), Map.of(), null);
    }
  }

  /** The finished run; {@code expectedEpisodes} counts one episode per seat of every match. */
  record Result(RunDirectory directory, RunSummary summary, long expectedEpisodes) {}

  /** The prefix of a seat agent that names one of the environment's bots: {@code bot:greedy}. */
  private static final String BOT = "bot:";

  private RolloutJob() {}

  static Result run(Registry registry, Spec spec, PrintWriter out, PrintStream err) throws InterruptedException {
    if (spec.episodes() < 1) {
      throw new IllegalArgumentException("--episodes must be at least 1, was " + spec.episodes());
    }
    if (spec.concurrency() < 1) {
      throw new IllegalArgumentException("--concurrency must be at least 1, was " + spec.concurrency());
    }
    if (spec.concurrency() > 1_000_000) {
      throw new IllegalArgumentException("--concurrency must be between 1 and 1000000, was " + spec.concurrency());
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
    Map<String, ChatEndpoint> llm = LlmSection.read(spec.llm());
    // the runtime first: its plugin context (sharing its Vert.x) creates the environment, shapers and agent,
    // and closing the runtime closes it, whether the run ends or fails
    try (EpisodeRuntime runtime = EpisodeRuntime.start(RuntimeOptions.defaults(), registry, llm)) {
      BoundEnvironment env = Plugins.environment(registry, spec.env(), spec.envConfig())
          .withContext(runtime.pluginContext()).probe();
      ShapingPipeline pipeline = ShapingFactory.build(registry, shapingSpec, env);
      return run(runtime, env, pipeline, shapingSpec, registry, spec, out, err);
    }
  }

  private static Result run(EpisodeRuntime runtime, BoundEnvironment env, ShapingPipeline pipeline,
      ShapingSpec shapingSpec, Registry registry, Spec spec, PrintWriter out, PrintStream err)
      throws InterruptedException {
    List<Plugins.ConfiguredAgent> seatAgents = new ArrayList<>();
    try (Plugins.ConfiguredAgent agent = Plugins.agent(registry, spec.agent(), spec.agentConfig(), env, spec.device())) {
      Map<String, Plugins.ConfiguredAgent> bySeat = seatAgents(registry, env, spec);
      seatAgents.addAll(bySeat.values());
      RunDirectory dir = RunDirectory.create(spec.out(), spec.env() + "-" + spec.agent());
      RolloutOptions options = RolloutOptions.of(spec.episodes(), spec.concurrency(), spec.seed())
          .withTimeouts(spec.turnTimeoutMillis(), spec.episodeTimeoutMillis()).withGroupSize(spec.groupSize());
      writeConfig(dir, spec, env, agent, bySeat, options, shapingSpec);
      String runId = dir.path().getFileName().toString();
      long expected = (long) spec.episodes() * (env.multiAgent() ? env.seats().size() : 1);
      Map<String, Rollout.SeatAgent> seats = new LinkedHashMap<>();
      bySeat.forEach((seat, a) -> seats.put(seat, new Rollout.SeatAgent(a.name(), a.agent())));
      RunSummary summary;
      try (EpisodeStore store = EpisodeStore.open(dir.episodes());
          Progress progress = Progress.start(spec.env(), expected, err, spec.progress())) {
        summary = runtime.run(new Rollout(runId, env, agent.name(), agent.agent(), options, pipeline::scoreAsync,
                seats), store::append, progress)
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
      summary.seats().forEach((seat, f) -> out.println(String.format(java.util.Locale.ROOT,
          "  seat %s (%s): %d episodes, %d failed; success %.3f, mean return %.3f", seat, f.agent(), f.episodes(),
          f.failed(), f.successRate(), f.meanReturn())));
      for (RunSummary.FailureCount f : summary.failures()) {
        out.println("  failed " + f.count() + "x: " + f.example());
      }
      if (summaryJson.has("agentStatistics")) {
        out.println("  agent: " + summaryJson.get("agentStatistics"));
      }
      out.println("run directory: " + dir.path());
      out.flush();
      return new Result(dir, summary, expected);
    } finally {
      seatAgents.forEach(Plugins.ConfiguredAgent::close);
    }
  }

  /**
   * The agents of their own for seats that {@code --seat-agent} or {@code --seat-agent-config} names, by seat in the
   * environment's order; refuses them for an environment without seats and a seat it does not have.
   */
  private static Map<String, Plugins.ConfiguredAgent> seatAgents(Registry registry, BoundEnvironment env, Spec spec) {
    Set<String> named = new LinkedHashSet<>(spec.seatAgents().keySet());
    named.addAll(spec.seatAgentConfigs().keySet());
    Map<String, Plugins.ConfiguredAgent> out = new LinkedHashMap<>();
    if (named.isEmpty()) {
      return out;
    }
    if (!env.multiAgent()) {
      throw new ConfigException("--seat-agent and --seat-agent-config apply to multi-agent environments; '" + env.name()
          + "' has no seats");
    }
    for (String seat : named) {
      if (!env.seats().contains(seat)) {
        throw new ConfigException("environment '" + env.name() + "' has no seat '" + seat + "'; its seats: "
            + String.join(", ", env.seats()));
      }
    }
    try {
      for (String seat : env.seats()) {
        if (!named.contains(seat)) {
          continue;
        }
        String name = spec.seatAgents().getOrDefault(seat, spec.agent()).strip();
        String config = spec.seatAgentConfigs().get(seat);
        if (name.startsWith(BOT)) {
          if (config != null) {
            throw new ConfigException("seat '" + seat + "': name the bot once, as " + name + " or with --seat-agent-config "
                + "'" + seat + "=name: NAME', not both");
          }
          config = "{name: \"" + name.substring(BOT.length()).replace("\"", "") + "\"}";
          name = "bot";
        } else if (name.isEmpty() || name.contains(":")) {
          throw new ConfigException("seat '" + seat + "': '" + name + "' is not an agent name; write SEAT=AGENT (ludus "
              + "list agents) or SEAT=bot:NAME for one of the environment's bots");
        }
        String device = spec.device() != null && hasDevice(registry, name) ? spec.device() : null;
        out.put(seat, Plugins.agent(registry, name, config, env, device));
      }
    } catch (RuntimeException e) {
      out.values().forEach(Plugins.ConfiguredAgent::close);
      throw e;
    }
    return out;
  }

  private static boolean hasDevice(Registry registry, String agent) {
    Class<?> type = registry.agents().get(agent).configType();
    return type.isRecord() && Arrays.stream(type.getRecordComponents()).anyMatch(c -> c.getName().equals("device"));
  }

  private static void writeConfig(RunDirectory dir, Spec spec, BoundEnvironment env, Plugins.ConfiguredAgent agent,
      Map<String, Plugins.ConfiguredAgent> seatAgents, RolloutOptions options, ShapingSpec shaping) {
    ObjectNode root = Json.YAML.createObjectNode();
    root.put("env", spec.env());
    root.set("envConfig", Json.YAML.valueToTree(env.config()));
    root.put("agent", agent.name());
    root.set("agentConfig", Json.YAML.valueToTree(agent.config()));
    if (env.multiAgent()) {
      ObjectNode seats = root.putObject("seats");
      for (String seat : env.seats()) {
        Plugins.ConfiguredAgent a = seatAgents.getOrDefault(seat, agent);
        ObjectNode s = seats.putObject(seat);
        s.put("agent", a.name());
        s.set("agentConfig", Json.YAML.valueToTree(a.config()));
        s.put("ownInstance", seatAgents.containsKey(seat));
      }
    }
    root.set("rollout", Json.YAML.valueToTree(options));
    root.set("shaping", Json.YAML.valueToTree(shaping));
    Map<String, ChatEndpoint> llm = env.context().chatEndpoints();
    if (!llm.isEmpty()) {
      root.set("llm", Json.YAML.valueToTree(new java.util.TreeMap<>(llm))); // the endpoints, never an API key
    }
    try {
      Json.YAML.writeValue(dir.config().toFile(), root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.config(), e);
    }
  }
}
