package dev.ludus.runner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.AgentStatistics;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Registry;
import dev.ludus.api.Episode;
import dev.ludus.api.chat.ChatEndpoint;
import dev.ludus.api.codec.EpisodeCodec;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.config.LlmSection;
import dev.ludus.runner.config.Plugins;
import dev.ludus.runner.runtime.EpisodeRuntime;
import dev.ludus.runner.runtime.Rollout;
import dev.ludus.runner.runtime.RolloutOptions;
import dev.ludus.runner.runtime.RunControl;
import dev.ludus.runner.runtime.RunSummary;
import dev.ludus.runner.runtime.RuntimeOptions;
import dev.ludus.runner.runtime.Scorer;
import dev.ludus.runner.metrics.RunMetrics;
import dev.ludus.runner.config.ShapingFactory;
import dev.ludus.runner.config.ShapingSpec;
import dev.ludus.shaping.ShapingPipeline;
import dev.ludus.runner.store.EpisodeReader;
import dev.ludus.runner.store.EpisodeStore;
import dev.ludus.runner.store.RunDirectory;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One rollout from names and configuration text to a finished run directory: validates everything before
 * the first episode starts, writes the resolved configuration, plays the episodes into the store with a
 * progress display, and writes the summary.
 *
 * <p>In a multi-agent environment it plays matches: {@code --agent} plays every seat (self-play, one instance), and
 * {@code --seat-agent SEAT=AGENT} / {@code --seat-agent-config SEAT=CONFIG} give a seat an agent instance of its own
 * ({@code bot:NAME} is the {@code bot} agent with {@code name: NAME}; a seat given only a config gets its own
 * instance of {@code --agent}, e.g. a frozen checkpoint of the policy).
 *
 * <p>Resume ({@link #resume}): the run directory's {@code config.yaml} holds the resolved configuration; a resumed
 * run reads it back, cuts a torn final line off {@code episodes.jsonl}, keeps every group of episodes the file holds
 * whole (failed episodes included, as recorded), drops the episodes of groups it holds in part, and plays the groups
 * that remain with the same task and seed indices, so the finished file holds the (task, seed) episodes of an
 * uninterrupted run, each once. Stop: SIGTERM or Ctrl-C (a JVM shutdown hook) asks the run to stop; the episodes in
 * flight get {@code stopGraceMillis} to finish, the rest are cut (not stored; a resume plays them), the summary is
 * written with an {@code interrupted} section, and a line says how to resume.
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

  /** How long in-flight episodes get to finish after SIGTERM or Ctrl-C, by default. */
  static final long DEFAULT_STOP_GRACE_MILLIS = 10_000;

  private static final EpisodeCodec PLAIN = EpisodeCodec.plain();

  private RolloutJob() {}

  static Result run(Registry registry, Spec spec, PrintWriter out, PrintStream err) throws InterruptedException {
    return run(registry, spec, out, err, DEFAULT_STOP_GRACE_MILLIS, null);
  }

  /** A new run; after SIGTERM or Ctrl-C, episodes in flight get {@code stopGraceMillis} to finish. */
  static Result run(Registry registry, Spec spec, PrintWriter out, PrintStream err, long stopGraceMillis)
      throws InterruptedException {
    return run(registry, spec, out, err, stopGraceMillis, null);
  }

  /** As {@link #run(Registry, Spec, PrintWriter, PrintStream, long)}, recording the run in {@code metrics} (or null). */
  static Result run(Registry registry, Spec spec, PrintWriter out, PrintStream err, long stopGraceMillis,
      RunMetrics metrics) throws InterruptedException {
    return run(registry, spec, null, stopGraceMillis, metrics, out, err, null);
  }

  /** As {@link #run(Registry, Spec, PrintWriter, PrintStream, long, RunMetrics)}, on a cluster when {@code cluster} is given. */
  static Result run(Registry registry, Spec spec, PrintWriter out, PrintStream err, long stopGraceMillis,
      RunMetrics metrics, ClusterRun cluster) throws InterruptedException {
    return run(registry, spec, null, stopGraceMillis, metrics, out, err, cluster);
  }

  /** As {@link #resume(Registry, Path, boolean, long, PrintWriter, PrintStream)}, on a cluster when {@code cluster} is given. */
  static Result resume(Registry registry, Path runDirectory, boolean progress, long stopGraceMillis, PrintWriter out,
      PrintStream err, ClusterRun cluster) throws InterruptedException {
    RunDirectory dir = new RunDirectory(runDirectory);
    if (!Files.isDirectory(runDirectory) || !Files.isRegularFile(dir.config())) {
      throw new ConfigException("--resume: '" + runDirectory + "' is not a rollout's run directory (it has no "
          + "config.yaml); give the directory a 'ludus rollout' printed as 'run directory:'");
    }
    return run(registry, specOf(dir, progress), dir, stopGraceMillis, null, out, err,
        cluster != null ? cluster : recordedCluster(dir));
  }

  /** The cluster section {@code config.yaml} records (a run started with --cluster), or null. */
  private static ClusterRun recordedCluster(RunDirectory dir) {
    try {
      JsonNode section = Json.YAML.readTree(dir.config().toFile()).get("cluster");
      return section == null || section.isNull() ? null : Json.JSON.treeToValue(section, ClusterRun.class);
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException("--resume: the cluster section of " + dir.config() + " does not read: " + e.getMessage());
    }
  }

  /**
   * A rollout's matches leased to the workers of a cluster ({@code --cluster}): the coordinator joins with
   * {@code options}, waits up to {@code waitMillis} for {@code workers} workers, and plays here (locally) whatever no
   * worker can take, all of it when none has joined by then.
   */
  record ClusterRun(dev.ludus.runner.cluster.ClusterOptions options, long leaseTimeoutMillis, long waitMillis,
      int workers) {}

  /**
   * Continues the rollout in {@code runDirectory} to its episode count with the configuration its
   * {@code config.yaml} records; see the class comment.
   */
  static Result resume(Registry registry, Path runDirectory, boolean progress, long stopGraceMillis, PrintWriter out,
      PrintStream err) throws InterruptedException {
    return resume(registry, runDirectory, progress, stopGraceMillis, out, err, null);
  }

  /** The job's inputs as the run directory's {@code config.yaml} records them. */
  static Spec specOf(RunDirectory dir, boolean progress) {
    JsonNode root;
    try {
      root = Json.YAML.readTree(dir.config().toFile());
    } catch (IOException e) {
      throw new ConfigException("--resume: cannot read " + dir.config() + ": " + e.getMessage());
    }
    if (root == null || !root.hasNonNull("env") || !root.hasNonNull("agent") || !root.has("rollout")) {
      throw new ConfigException("--resume: " + dir.config() + " is not a rollout's configuration (it needs env, agent "
          + "and rollout)");
    }
    try {
      RolloutOptions o = Json.JSON.treeToValue(root.get("rollout"), RolloutOptions.class);
      Map<String, String> seatAgents = new LinkedHashMap<>();
      Map<String, String> seatConfigs = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> seat : root.path("seats").properties()) {
        if (seat.getValue().path("ownInstance").asBoolean()) {
          seatAgents.put(seat.getKey(), seat.getValue().path("agent").asText());
          seatConfigs.put(seat.getKey(), json(seat.getValue().get("agentConfig")));
        }
      }
      Path parent = dir.path().toAbsolutePath().getParent();
      return new Spec(root.get("env").asText(), json(root.get("envConfig")), root.get("agent").asText(),
          json(root.get("agentConfig")), o.episodes(), o.concurrency(), o.seed(), o.turnTimeoutMillis(),
          o.episodeTimeoutMillis(), parent, progress, json(root.get("shaping")), o.groupSize(),
          root.hasNonNull("device") ? root.get("device").asText() : null, seatAgents, seatConfigs,
          json(root.get("llm")));
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException("--resume: " + dir.config() + " does not hold a valid rollout configuration: "
          + e.getMessage());
    }
  }

  /** A configuration tree as inline JSON text, or null for none. */
  private static String json(JsonNode node) throws IOException {
    return node == null || node.isNull() || node.isMissingNode() ? null : Json.JSON.writeValueAsString(node);
  }

  private static Result run(Registry registry, Spec spec, RunDirectory existing, long stopGraceMillis,
      RunMetrics metrics, PrintWriter out, PrintStream err, ClusterRun cluster) throws InterruptedException {
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
      return run(runtime, env, pipeline, shapingSpec, registry, spec, existing, stopGraceMillis, metrics, out, err,
          cluster);
    }
  }

  private static Result run(EpisodeRuntime runtime, BoundEnvironment env, ShapingPipeline pipeline,
      ShapingSpec shapingSpec, Registry registry, Spec spec, RunDirectory existing, long stopGraceMillis,
      RunMetrics metrics, PrintWriter out, PrintStream err, ClusterRun cluster) throws InterruptedException {
    List<Plugins.ConfiguredAgent> seatAgents = new ArrayList<>();
    try (Plugins.ConfiguredAgent agent = Plugins.agent(registry, spec.agent(), spec.agentConfig(), env, spec.device())) {
      Map<String, Plugins.ConfiguredAgent> bySeat = seatAgents(registry, env, spec);
      seatAgents.addAll(bySeat.values());
      RunDirectory dir = existing != null ? existing : RunDirectory.create(spec.out(), spec.env() + "-" + spec.agent());
      RolloutOptions options = RolloutOptions.of(spec.episodes(), spec.concurrency(), spec.seed())
          .withTimeouts(spec.turnTimeoutMillis(), spec.episodeTimeoutMillis()).withGroupSize(spec.groupSize());
      if (existing == null) {
        writeConfig(dir, spec, env, agent, bySeat, options, shapingSpec, cluster);
      }
      String runId = dir.path().getFileName().toString();
      int seatCount = env.multiAgent() ? env.seats().size() : 1;
      long expected = (long) spec.episodes() * seatCount;
      Map<String, Rollout.SeatAgent> seats = new LinkedHashMap<>();
      bySeat.forEach((seat, a) -> seats.put(seat, new Rollout.SeatAgent(a.name(), a.agent())));
      Stored stored = existing == null ? null : Stored.recover(dir, runId, spec.groupSize(), seatCount, err);
      RunControl control = stored == null ? RunControl.create()
          : RunControl.resuming(stored.played(), c -> EpisodeReader.forEach(dir.episodes(), PLAIN, c));
      long toPlay = expected - (stored == null ? 0 : stored.episodes());
      CountDownLatch finished = new CountDownLatch(1);
      Thread hook = new Thread(() -> {
        control.stop(stopGraceMillis);
        try {
          // the main thread writes the summary and the resume line; bounded, so a stuck run cannot hold the JVM
          finished.await(stopGraceMillis + 30_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "ludus-rollout-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      dev.ludus.runner.cluster.RolloutCoordinator coordinator = null;
      try {
        if (cluster != null) {
          coordinator = ClusterRollouts.coordinate(cluster, registry, dev.ludus.runner.cluster.RolloutDescription.of(
              runId, env, agent, bySeat, options, spec.device()), err);
        }
        RunSummary summary;
        try (EpisodeStore store = EpisodeStore.open(dir.episodes());
            Progress progress = Progress.start(spec.env(), toPlay, err, spec.progress())) {
          Scorer scorer = pipeline::scoreAsync;
          Rollout rollout = new Rollout(runId, env, agent.name(), agent.agent(), options,
              metrics == null ? scorer : metrics.timed(scorer), seats);
          dev.ludus.runner.runtime.EpisodeListener listener = metrics == null ? progress : metrics.alongside(progress);
          if (coordinator != null) {
            progress.alongside(coordinator::progressLine);
            summary = runtime.run(rollout, store::append, listener, control, coordinator).toCompletableFuture().get();
          } else {
            summary = runtime.run(rollout, store::append, listener, control).toCompletableFuture().get();
          }
        } catch (ExecutionException e) {
          throw new IllegalStateException("the rollout failed: " + e.getCause(), e.getCause());
        }
        return finish(dir, summary, control, agent, expected, stopGraceMillis, out,
            coordinator == null ? null : coordinator.stats());
      } finally {
        if (coordinator != null) {
          coordinator.close();
        }
        finished.countDown();
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // the hook is running: it returns now that the summary is written
        }
      }
    } finally {
      seatAgents.forEach(Plugins.ConfiguredAgent::close);
    }
  }

  /** Writes the summary (with what a stop cut, if it came) and prints it with the run directory. */
  private static Result finish(RunDirectory dir, RunSummary summary, RunControl control, Plugins.ConfiguredAgent agent,
      long expected, long stopGraceMillis, PrintWriter out, dev.ludus.runner.cluster.ClusterStats cluster) {
    ObjectNode summaryJson = Json.JSON.valueToTree(summary);
    if (cluster != null) {
      summaryJson.set("cluster", Json.JSON.valueToTree(cluster));
    }
    String resumeLine = "resume with: ludus rollout --resume " + dir.path();
    if (control.stopped()) {
      ObjectNode stop = summaryJson.putObject("interrupted");
      stop.put("reason", "stopped by SIGTERM or Ctrl-C");
      stop.put("stored", summary.episodes());
      stop.put("expected", expected);
      stop.put("cut", control.cut());
      stop.put("cutReason", "still in flight " + stopGraceMillis + " ms after the stop; not stored, a resume "
          + "plays them");
      stop.put("resume", resumeLine);
    }
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
    if (cluster != null) {
      out.println("  cluster: " + cluster.progressLine());
    }
    out.println("run directory: " + dir.path());
    if (control.stopped()) {
      out.println("stopped: " + summary.episodes() + " of " + expected + " episodes stored, " + control.cut()
          + " in flight cut after " + stopGraceMillis + " ms; " + resumeLine);
    }
    out.flush();
    return new Result(dir, summary, expected);
  }

  /**
   * What a run directory's episode file holds when a rollout resumes, after its repair: the matches of the groups
   * it holds whole, and how many episodes those are.
   */
  private record Stored(BitSet played, long episodes) {
    /**
     * Cuts a torn final line off the file, then keeps only the first copy of each episode of the groups it holds
     * whole (a group: the {@code groupSize} matches on one task, with every seat's episode), rewriting the file when
     * it holds part of a group or a copy.
     */
    static Stored recover(RunDirectory dir, String runId, int groupSize, int seats, PrintStream err) {
      Map<Long, Set<String>> byGroup = new HashMap<>();
      boolean[] copies = {false};
      EpisodeStore.Resumed opened = EpisodeStore.openForResume(dir.episodes(), e -> {
        long match = matchIndex(runId, e.id(), dir);
        if (!byGroup.computeIfAbsent(match / groupSize, k -> new HashSet<>()).add(e.id())) {
          copies[0] = true;
        }
      });
      opened.store().close();
      if (opened.read().hasTornLine()) {
        err.println("ludus rollout: " + dir.episodes() + " line " + opened.read().torn().line() + " was torn ("
            + opened.read().torn().bytes() + " bytes; the run was killed while writing it); cut off");
      }
      int perGroup = groupSize * seats;
      BitSet played = new BitSet();
      long episodes = 0;
      boolean partial = false;
      for (Map.Entry<Long, Set<String>> g : byGroup.entrySet()) {
        if (g.getValue().size() >= perGroup) {
          long first = g.getKey() * groupSize;
          played.set((int) first, (int) (first + groupSize));
          episodes += perGroup;
        } else {
          partial = true;
        }
      }
      if (partial || copies[0]) {
        Set<String> seen = new HashSet<>();
        long dropped = EpisodeStore.retain(dir.episodes(), e -> played.get((int) matchIndex(runId, e.id(), dir))
            && seen.add(e.id()));
        err.println("ludus rollout: dropped " + dropped + " stored episodes of groups the file held in part (or "
            + "copies); their groups play again");
      }
      return new Stored(played, episodes);
    }
  }

  /** The match index in an episode id of run {@code runId}: {@code <runId>-<index>} or {@code <runId>-<index>-<seat>}. */
  static long matchIndex(String runId, String id, RunDirectory dir) {
    if (id != null && id.startsWith(runId + "-")) {
      String rest = id.substring(runId.length() + 1);
      int dash = rest.indexOf('-');
      String digits = dash < 0 ? rest : rest.substring(0, dash);
      if (!digits.isEmpty() && digits.length() < 10 && digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return Long.parseLong(digits);
      }
    }
    throw new ConfigException("--resume: " + dir.episodes() + " holds episode '" + id + "', which is not one of run '"
        + runId + "' (ids <run>-<index>); resume only a directory 'ludus rollout' wrote");
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
      Map<String, Plugins.ConfiguredAgent> seatAgents, RolloutOptions options, ShapingSpec shaping, ClusterRun cluster) {
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
    if (spec.device() != null) {
      root.put("device", spec.device());
    }
    root.set("shaping", Json.YAML.valueToTree(shaping));
    if (cluster != null) {
      root.set("cluster", Json.YAML.valueToTree(cluster)); // a resume without --cluster uses it again
    }
    Map<String, ChatEndpoint> llm = env.context().chatEndpoints();
    if (!llm.isEmpty()) {
      root.set("llm", Json.YAML.valueToTree(new java.util.TreeMap<>(llm))); // the endpoints, never an API key
    }
    try {
      // written beside and renamed: a kill leaves no half a configuration for --resume to trip on
      Path tmp = dir.config().resolveSibling(dir.config().getFileName() + ".tmp");
      Json.YAML.writeValue(tmp.toFile(), root);
      Files.move(tmp, dir.config(), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.config(), e);
    }
  }
}
