package dev.ludus.environments.tools;

import dev.ludus.api.Agent;
import dev.ludus.api.AnyEnvironment;
import dev.ludus.api.ConfigException;
import dev.ludus.api.DatasetWriter;
import dev.ludus.api.EnvironmentProvider;
import dev.ludus.api.PluginContext;
import dev.ludus.api.Seeds;
import dev.ludus.api.SignalKey;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.Task;
import dev.ludus.api.TaskSource;
import dev.ludus.api.tools.ToolDispatcher;
import dev.ludus.simulators.scripted.ScriptedUserSignals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Function calling against tools that really run, registered as {@value #NAME}. Stateless and thread-safe
 * (but for a small cache of the datasets it has read, keyed by path and modification time).
 *
 * <p>Design note. The tools are the methods of deterministic in-memory sandboxes (package
 * {@code dev.ludus.environments.tools.sandbox}: a file system, messaging, a bank and a stock market with seeded
 * virtual clocks and prices, travel booking, support tickets, math, a key-value memory), each with a JSON Schema;
 * the dispatcher validates every call against it before it runs, and each call has a time limit. A sandbox's
 * state is a record and a call a pure function of it, so nothing can reach a real file or the network. Tasks are
 * generated (see {@link Category}: simple, multiple, parallel, irrelevance, missing argument, multi-turn) by
 * sampling the sandboxes' initial state and a goal and planning the gold calls by executing them, or read from
 * BFCL, xLAM or ToolRL files ({@link FunctionCallingConfig#dataset()}). The user is a registered simulator,
 * by default the {@code scripted-user}, which follows the task's script and gives held-back details when asked.
 *
 * <p>Rewards: the environment's own reward is 1 when every user turn passes BFCL's multi-turn checks (or, for a
 * dataset question, BFCL's AST check or ToolRL's exact match), else 0. The papers' rewards are shapers over the
 * task's fields and this environment's signals: {@code tool-call} (ToolRL's format and correctness, reading the
 * {@code gold_calls} field) and {@code bfcl} (the {@code bfcl-ast}, {@code bfcl-state} and {@code bfcl-response}
 * checks as separate components). {@link #writeDataset} writes the generated tasks as BFCL, xLAM and ToolRL files.
 */
public final class FunctionCallingProvider
    implements EnvironmentProvider<FunctionCallingConfig>, DatasetWriter<FunctionCallingConfig> {
  /** The registered name. */
  public static final String NAME = "function-calling";

  private static final Set<SignalKey<?>> SIGNALS;

  static {
    Set<SignalKey<?>> s = new LinkedHashSet<>();
    s.add(StandardSignals.SUCCESS);
    s.add(StandardSignals.INVALID_ACTION);
    s.addAll(ToolDispatcher.SIGNALS);
    s.addAll(FunctionCallingSignals.all());
    s.addAll(ScriptedUserSignals.all());
    SIGNALS = Collections.unmodifiableSet(s);
  }

  private record Loaded(String format, Path path, long modified, long size) {}

  private static final Map<Loaded, List<Task>> DATASETS = new ConcurrentHashMap<>();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Function calling on sandboxes that really run (files, messages, bank, trading, travel, tickets, math, "
        + "memory): BFCL-style categories, a scripted user, BFCL/xLAM/ToolRL datasets";
  }

  @Override
  public Class<FunctionCallingConfig> configType() {
    return FunctionCallingConfig.class;
  }

  @Override
  public FunctionCallingConfig defaultConfig() {
    return FunctionCallingConfig.defaults();
  }

  @Override
  public AnyEnvironment create(FunctionCallingConfig config, PluginContext context) {
    if (config.dataset() != null) {
      dataset(config.dataset()); // a missing or malformed file is bad input now, not every episode's failure
    }
    return new FunctionCallingEnvironment(config, context.simulator("user", config.user()));
  }

  @Override
  public TaskSource tasks(FunctionCallingConfig config) {
    if (config.dataset() != null) {
      List<Task> tasks = dataset(config.dataset());
      return (index, runSeed) -> tasks.get((int) Math.floorMod(index + runSeed, (long) tasks.size()));
    }
    List<Category> categories = config.categoriesInPlay();
    List<String> sandboxes = config.sandboxesInPlay();
    return (index, runSeed) -> {
      long seed = Seeds.mix(runSeed, index);
      return new Task(NAME + "/" + seed, seed,
          Scenarios.fields(ScenarioGenerator.generate(categories, sandboxes, seed)));
    };
  }

  /**
   * The tasks of a dataset file, read once per path and modification time.
   *
   * @throws ConfigException naming the file and what is wrong with it
   */
  static List<Task> dataset(FunctionCallingConfig.Dataset dataset) {
    Path path = Path.of(dataset.path()).toAbsolutePath().normalize();
    Loaded key;
    try {
      key = new Loaded(dataset.format(), path, Files.getLastModifiedTime(path).toMillis(),
          Files.isDirectory(path) ? -1 : Files.size(path));
    } catch (IOException e) {
      throw new ConfigException("dataset.path " + dataset.path() + " cannot be read: " + e.getMessage());
    }
    List<Task> known = DATASETS.get(key);
    if (known != null) {
      return known;
    }
    List<Task> tasks;
    try {
      tasks = switch (dataset.format()) {
        case BfclFormat.FORMAT -> BfclFormat.read(path);
        case XlamFormat.FORMAT -> XlamFormat.read(path);
        default -> ToolRlFormat.read(path);
      };
    } catch (IOException e) {
      throw new ConfigException("dataset.path " + dataset.path() + " cannot be read: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("dataset " + dataset.path() + " is not valid " + dataset.format() + ": "
          + e.getMessage());
    }
    if (tasks.isEmpty()) {
      throw new ConfigException("dataset " + dataset.path() + " holds no tasks");
    }
    if (DATASETS.size() >= 16) {
      DATASETS.clear();
    }
    List<Task> frozen = List.copyOf(tasks);
    DATASETS.put(key, frozen);
    return frozen;
  }

  @Override
  public Set<SignalKey<?>> signals() {
    return SIGNALS;
  }

  @Override
  public Optional<Agent> oracle(FunctionCallingConfig config) {
    return Optional.of(new FunctionCallingOracle(config));
  }

  @Override
  public Agent randomAgent(FunctionCallingConfig config) {
    return new FunctionCallingRandomAgent();
  }

  @Override
  public List<String> datasetFormats() {
    return FunctionCallingConfig.Dataset.FORMATS;
  }

  @Override
  public List<DatasetWriter.WrittenFile> writeDataset(FunctionCallingConfig config, DatasetWriter.Options options,
      Path directory) throws IOException {
    try {
      return DatasetFiles.write(config, options, directory);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
