package dev.ludus.environments.sql;

import dev.ludus.api.Agent;
import dev.ludus.api.AnyEnvironment;
import dev.ludus.api.DatasetWriter;
import dev.ludus.api.EnvironmentProvider;
import dev.ludus.api.PluginContext;
import dev.ludus.api.SignalKey;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.Task;
import dev.ludus.api.TaskSource;
import dev.ludus.api.tools.ToolDispatcher;
import dev.ludus.environments.sql.TextToSqlConfig.Source;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Text-to-SQL on real SQLite databases with execution feedback, registered as {@value #NAME}. Stateless and
 * thread-safe.
 *
 * <p>Design note. A run's databases and questions (its {@link SqlWorld}) and its {@link SqlSandbox} are built
 * once, when the first instance is created, and shared through {@link PluginContext#shared}; closing the run
 * closes them. Questions come from the domain templates ({@code data: generated}: SQLite files in a temporary
 * directory, gold results by execution on every perturbed instance) or from Spider or BIRD files. Task {@code i}
 * plays question {@code seed mod n} (a generated task's seed; a loaded file's index, so {@code rollout} walks a
 * dev set in order), among the questions of its {@code split} ({@link TextToSqlConfig#split()}: with {@code train},
 * held-out evaluations play the disjoint {@code dev} questions, {@link #heldOut}, and model selection the disjoint
 * {@code validation} ones, {@link #validation}). Every query runs off the event loop on the sandbox's threads. Episodes replay exactly under
 * the same task, seed and actions, except that a query running close to its time limit may time out on one run
 * and not on another.
 *
 * <p>Two modes, two action protocols:
 * <ul>
 *   <li>{@code multi-turn} with {@code tags} is SkyRL-SQL's protocol: {@code <sql>…</sql>} runs a query and the
 *       agent reads {@code <observation>}{table}{@code <reminder>You have N turns left…</reminder></observation>},
 *       errors as {@code Error executing SQL: …}, timeouts as {@code SQL Timeout:}, anything else as SkyRL's
 *       "Your previous action is invalid…" (with the {@code invalid-action} signal); {@code <solution>…</solution>}
 *       ends the episode, as does the last turn (truncated). The reward is SkyRL's over the whole exchange: −1
 *       unless the format is valid, then 1 on execution match, else 0.
 *   <li>{@code single-turn} with {@code tags} is Reasoning-SQL's: one completion in {@code <reasoning>} and
 *       {@code <answer>}; the SQL is its last {@code ```sql} block, else the answer's body. The reward is the sum of
 *       the partial rewards: execution (3 on match), syntax (1 if it runs), schema-linking recall, bigram
 *       Jaccard, xmlcount and the soft and strict formats.
 *   <li>{@code tools} offers {@code execute_sql(sql)} (multi-turn) and {@code submit(sql)} instead, read from
 *       native tool calls or hermes {@code <tool_call>} text by a {@link ToolDispatcher}; a valid {@code submit}
 *       counts as SkyRL's valid format.
 * </ul>
 * Every component is also published as its own signal ({@link SqlSignals}), so the {@code sql-reward} shaper
 * writes each as its own ledger component; the final step also publishes {@code execution-match} and
 * {@code success}. Execution match compares row sets ({@code match: set}) or Spider's ordered rows, on the
 * database the agent explored and on each of its perturbed copies.
 *
 * <p>The oracle replays the gold query (it explores with it first in multi-turn mode) and solves every task; the
 * random agent writes random queries over the schema in the prompt. {@link DatasetWriter}: {@code ludus data
 * generate text-to-sql --out DIR} writes the generated questions and databases in Spider's layout and BIRD's.
 */
public final class TextToSqlProvider implements EnvironmentProvider<TextToSqlConfig>, DatasetWriter<TextToSqlConfig> {
  /** The registered name. */
  public static final String NAME = "text-to-sql";

  private static final Set<SignalKey<?>> SIGNALS;

  static {
    Set<SignalKey<?>> s = new LinkedHashSet<>(SqlSignals.all());
    s.add(StandardSignals.SUCCESS);
    s.add(StandardSignals.INVALID_ACTION);
    s.addAll(ToolDispatcher.SIGNALS);
    SIGNALS = Collections.unmodifiableSet(s);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Text-to-SQL on SQLite with execution feedback: SkyRL-SQL's multi-turn protocol or Reasoning-SQL's "
        + "single turn, generated databases or Spider/BIRD files";
  }

  @Override
  public Class<TextToSqlConfig> configType() {
    return TextToSqlConfig.class;
  }

  @Override
  public TextToSqlConfig defaultConfig() {
    return TextToSqlConfig.defaults();
  }

  @Override
  public AnyEnvironment create(TextToSqlConfig config, PluginContext context) {
    SqlSandbox sandbox = context.shared(NAME + "/sandbox", SqlSandbox.class, () -> new SqlSandbox(config.threads()));
    SqlWorld world = context.shared(config.worldKey(), SqlWorld.class, () -> open(config, sandbox));
    world.question(0, config.split()); // a split without questions fails here, before any episode
    return new TextToSqlEnvironment(config, world, sandbox);
  }

  /** The world {@code config} plays, built or loaded on the calling thread (which blocks). */
  static SqlWorld open(TextToSqlConfig config, SqlSandbox sandbox) {
    return switch (config.data()) {
      case SPIDER -> SqlDatasets.spider(Path.of(config.path()), config.questions());
      case BIRD -> SqlDatasets.bird(Path.of(config.path()), config.questions());
      case GENERATED -> {
        Path dir = null;
        try {
          dir = Files.createTempDirectory("ludus-text-to-sql-");
          yield GeneratedWorld.build(GeneratedWorld.Plan.of(config), dir, sandbox, gradeLimits(config), true);
        } catch (IOException | RuntimeException e) {
          if (dir != null) {
            SqlWorld.deleteTree(dir);
          }
          throw e instanceof IOException io ? new UncheckedIOException("cannot generate the text-to-sql databases: "
              + io.getMessage(), io) : (RuntimeException) e;
        }
      }
    };
  }

  static SqlSandbox.Limits gradeLimits(TextToSqlConfig config) {
    return new SqlSandbox.Limits(config.gradeTimeoutMillis(), config.maxRows());
  }

  @Override
  public TaskSource tasks(TextToSqlConfig config) {
    if (config.data() == Source.GENERATED) {
      return TaskSource.generated(NAME);
    }
    String prefix = NAME + "/" + config.data() + "/";
    return (index, runSeed) -> new Task(prefix + index, index, Map.of());
  }

  /** With {@code split: train}, the same world's dev questions ({@link TextToSqlConfig#split()}); else none. */
  @Override
  public Optional<TextToSqlConfig> heldOut(TextToSqlConfig config) {
    return config.split() == TextToSqlConfig.Split.TRAIN
        ? Optional.of(config.splitting(TextToSqlConfig.Split.DEV)) : Optional.empty();
  }

  /**
   * With {@code split: train}, the same world's validation questions ({@link TextToSqlConfig#split()}: neither train
   * nor dev); else none.
   */
  @Override
  public Optional<TextToSqlConfig> validation(TextToSqlConfig config) {
    return config.split() == TextToSqlConfig.Split.TRAIN
        ? Optional.of(config.splitting(TextToSqlConfig.Split.VALIDATION)) : Optional.empty();
  }

  @Override
  public Set<SignalKey<?>> signals() {
    return SIGNALS;
  }

  @Override
  public Optional<Agent> oracle(TextToSqlConfig config) {
    return Optional.of(new TextToSqlOracle(config));
  }

  @Override
  public Agent randomAgent(TextToSqlConfig config) {
    return new TextToSqlRandomAgent(config);
  }

  @Override
  public List<String> datasetFormats() {
    return List.of("spider", "bird");
  }

  /**
   * Generates databases and questions with {@code options.seed()} into {@code directory} (as many databases per
   * domain as {@code options.count()} questions need, at least the configuration's), and writes the first
   * {@code count} questions, taken round-robin over the databases, in Spider's and BIRD's layouts.
   */
  @Override
  public List<WrittenFile> writeDataset(TextToSqlConfig config, Options options, Path directory) throws IOException {
    GeneratedWorld.Plan plan = GeneratedWorld.Plan.of(config);
    plan = new GeneratedWorld.Plan(options.seed(), plan.domains(), plan.databasesPerDomain(), plan.perturbations(),
        plan.questionsPerKind());
    int perDatabase = QuestionKind.values().length * plan.questionsPerKind();
    int perDomain = Math.max(plan.databasesPerDomain(),
        (options.count() + perDatabase * plan.domains().size() - 1) / (perDatabase * plan.domains().size()));
    try (SqlSandbox sandbox = new SqlSandbox(1)) {
      while (true) {
        SqlWorld world = GeneratedWorld.build(plan.withDatabasesPerDomain(perDomain), directory, sandbox,
            gradeLimits(config), false);
        if (world.questions().size() >= options.count()) {
          return DatasetFiles.write(world, roundRobin(world.questions()).subList(0, options.count()), directory);
        }
        SqlWorld.deleteTree(directory.resolve("database"));
        perDomain++;
      }
    }
  }

  /** The questions taken one per database in turn: the first of each database, then the second, ... */
  static List<SqlWorld.Question> roundRobin(List<SqlWorld.Question> questions) {
    Map<String, List<SqlWorld.Question>> byDb = new LinkedHashMap<>();
    questions.forEach(q -> byDb.computeIfAbsent(q.dbId(), k -> new ArrayList<>()).add(q));
    List<SqlWorld.Question> out = new ArrayList<>(questions.size());
    for (int i = 0; out.size() < questions.size(); i++) {
      for (List<SqlWorld.Question> qs : byDb.values()) {
        if (i < qs.size()) {
          out.add(qs.get(i));
        }
      }
    }
    return out;
  }
}
