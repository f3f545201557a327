package dev.ludus.environments.sql;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The configuration of {@code text-to-sql}. Immutable; validated on construction, naming the bad field, its
 * value and what is allowed.
 *
 * @param mode {@code multi-turn} (SkyRL-SQL: explore with queries, then answer; the default) or
 *     {@code single-turn} (Reasoning-SQL: one completion holding the answer)
 * @param actions how the agent acts: {@code tags} ({@code <sql>}, {@code <solution>}, {@code <answer>} in its
 *     text; the default) or {@code tools} (the {@code execute_sql} and {@code submit} tools, as native tool calls
 *     or hermes {@code <tool_call>} text)
 * @param maxTurns multi-turn: the most agent messages; the last one must answer. 1 to 100, default 5 (SkyRL's
 *     environment default; its recipe uses 6)
 * @param match how the answer's rows are compared with the gold's: {@code set} (BIRD, SkyRL-SQL, Reasoning-SQL;
 *     the default) or {@code ordered} (Spider's order-sensitive variant)
 * @param reward the environment's own reward: {@code skyrl} (−1 bad format, 1 match, else 0; multi-turn only),
 *     {@code reasoning-sql} (the sum of Reasoning-SQL's partial rewards the mode publishes) or
 *     {@code execution} (1 on match, else 0); null (the default) for {@code skyrl} in multi-turn mode and
 *     {@code reasoning-sql} in single-turn mode. Every component is also a signal, for the {@code sql-reward}
 *     shaper
 * @param data where the questions come from: {@code generated} (the default), {@code spider} or {@code bird}
 * @param path for {@code spider} and {@code bird}: the dataset's directory (Spider: {@code tables.json},
 *     the question file and {@code database/{db_id}/{db_id}.sqlite}; BIRD: the question file,
 *     {@code <stem>_tables.json} and {@code <stem>_databases/{db_id}/{db_id}.sqlite})
 * @param questions for {@code spider} and {@code bird}: the question file in {@code path}; default
 *     {@code dev.json}
 * @param seed generated data: the seed of the databases and questions
 * @param domains generated data: the domain templates in play, of {@code schools}, {@code retail},
 *     {@code flights}, {@code clinic}, {@code league}; empty (the default) for all five
 * @param databasesPerDomain generated data: databases made from each domain; 1 to 1000, default 2
 * @param perturbations generated data: perturbed copies of each database (same schema, other rows) on which
 *     an answer must match the gold too; 0 to 20, default 2
 * @param questionsPerKind generated data: questions kept per database and template kind; 1 to 50, default 3
 * @param exploreTimeoutMillis the time limit of an exploring query (SkyRL: 5 s); default 5000
 * @param gradeTimeoutMillis the time limit of the answer's query on each instance (SkyRL, BIRD: 30 s);
 *     default 30000
 * @param maxRows the most rows a query may return before its result is cut (a cut answer never matches);
 *     1 to 1,000,000, default 10000
 * @param threads the SQL sandbox's threads, shared by the run; 1 to 64, default 2
 * @param split which of the world's questions tasks play: {@code all} (the default), {@code train},
 *     {@code validation} or {@code dev}, the last three disjoint question sets that make up {@code all}, as a
 *     dataset's train/dev files are: of each database's questions of one kind (one template, or one loaded file's), in
 *     world order, every {@value #DEV_EVERY}th is a dev question (the 5th, 10th, ...), the one before each of those a
 *     validation question (the 4th, 9th, ...), and the others train questions (3 of 5). With {@code train}, held-out
 *     evaluations play {@code dev} ({@link TextToSqlProvider#heldOut}) and a trainer's model selection plays
 *     {@code validation} ({@link TextToSqlProvider#validation}), so a policy is chosen and judged on questions it never
 *     trained on; a split with no question is refused when the world is built
 */
public record TextToSqlConfig(Mode mode, Actions actions, int maxTurns, ExecutionMatch match, Reward reward,
    Source data, String path, String questions, long seed, List<String> domains, int databasesPerDomain,
    int perturbations, int questionsPerKind, long exploreTimeoutMillis, long gradeTimeoutMillis, int maxRows,
    int threads, Split split) {

  /**
   * Of each database's questions of one kind, every this many is a dev question (the 5th, 10th, ...), and the one
   * before each of those a validation question (the 4th, 9th, ...).
   */
  public static final int DEV_EVERY = 5;

  /** Which questions tasks play (see {@link TextToSqlConfig#split()}). */
  public enum Split {
    @JsonProperty("all")
    ALL("all"),
    @JsonProperty("train")
    TRAIN("train"),
    @JsonProperty("validation")
    VALIDATION("validation"),
    @JsonProperty("dev")
    DEV("dev");

    private final String word;

    Split(String word) {
      this.word = word;
    }

    /** As a configuration writes it, e.g. {@code train}. */
    @Override
    public String toString() {
      return word;
    }
  }

  /** Multi-turn exploration (SkyRL-SQL) or a single completion (Reasoning-SQL). */
  public enum Mode {
    @JsonProperty("multi-turn")
    MULTI_TURN("multi-turn"),
    @JsonProperty("single-turn")
    SINGLE_TURN("single-turn");

    private final String word;

    Mode(String word) {
      this.word = word;
    }

    /** As a configuration writes it, e.g. {@code multi-turn}. */
    @Override
    public String toString() {
      return word;
    }
  }

  /** Text tags or tools. */
  public enum Actions {
    @JsonProperty("tags")
    TAGS("tags"),
    @JsonProperty("tools")
    TOOLS("tools");

    private final String word;

    Actions(String word) {
      this.word = word;
    }

    /** As a configuration writes it, e.g. {@code tags}. */
    @Override
    public String toString() {
      return word;
    }
  }

  /** The environment's own reward. */
  public enum Reward {
    @JsonProperty("skyrl")
    SKYRL("skyrl"),
    @JsonProperty("reasoning-sql")
    REASONING_SQL("reasoning-sql"),
    @JsonProperty("execution")
    EXECUTION("execution");

    private final String word;

    Reward(String word) {
      this.word = word;
    }

    /** As a configuration writes it, e.g. {@code skyrl}. */
    @Override
    public String toString() {
      return word;
    }
  }

  /** Where the questions come from. */
  public enum Source {
    @JsonProperty("generated")
    GENERATED("generated"),
    @JsonProperty("spider")
    SPIDER("spider"),
    @JsonProperty("bird")
    BIRD("bird");

    private final String word;

    Source(String word) {
      this.word = word;
    }

    /** As a configuration writes it, e.g. {@code generated}. */
    @Override
    public String toString() {
      return word;
    }
  }

  public TextToSqlConfig {
    mode = mode == null ? Mode.MULTI_TURN : mode;
    actions = actions == null ? Actions.TAGS : actions;
    match = match == null ? ExecutionMatch.SET : match;
    data = data == null ? Source.GENERATED : data;
    split = split == null ? Split.ALL : split;
    if (maxTurns < 1 || maxTurns > 100) {
      throw new IllegalArgumentException("maxTurns must be between 1 and 100, was " + maxTurns);
    }
    if (reward == Reward.SKYRL && mode == Mode.SINGLE_TURN) {
      throw new IllegalArgumentException("reward skyrl needs mode multi-turn (it checks SkyRL's <solution> protocol); "
          + "with mode single-turn use reasoning-sql or execution");
    }
    if (data != Source.GENERATED && (path == null || path.isBlank())) {
      throw new IllegalArgumentException("path must name the " + data + " dataset's directory when data is " + data);
    }
    questions = questions == null || questions.isBlank() ? "dev.json" : questions;
    domains = domains == null ? List.of() : List.copyOf(domains);
    for (String d : domains) {
      if (!Domains.BY_NAME.containsKey(d)) {
        throw new IllegalArgumentException("domains: unknown domain '" + d + "'; allowed: "
            + String.join(", ", Domains.ALL.stream().map(DomainSpec::name).toList()));
      }
    }
    range("databasesPerDomain", databasesPerDomain, 1, 1000);
    range("perturbations", perturbations, 0, 20);
    range("questionsPerKind", questionsPerKind, 1, 50);
    if (exploreTimeoutMillis < 1) {
      throw new IllegalArgumentException("exploreTimeoutMillis must be positive, was " + exploreTimeoutMillis);
    }
    if (gradeTimeoutMillis < 1) {
      throw new IllegalArgumentException("gradeTimeoutMillis must be positive, was " + gradeTimeoutMillis);
    }
    range("maxRows", maxRows, 1, 1_000_000);
    range("threads", threads, 1, 64);
  }

  private static void range(String field, int value, int low, int high) {
    if (value < low || value > high) {
      throw new IllegalArgumentException(field + " must be between " + low + " and " + high + ", was " + value);
    }
  }

  /** Multi-turn, text tags, 5 turns, set match, the mode's reward, generated data from all five domains. */
  public static TextToSqlConfig defaults() {
    return new TextToSqlConfig(Mode.MULTI_TURN, Actions.TAGS, 5, ExecutionMatch.SET, null, Source.GENERATED, null,
        null, 0, List.of(), 2, 2, 3, 5_000, 30_000, 10_000, 2, Split.ALL);
  }

  /** The reward in effect: the one set, or the mode's default. */
  public Reward effectiveReward() {
    return reward != null ? reward : mode == Mode.MULTI_TURN ? Reward.SKYRL : Reward.REASONING_SQL;
  }

  /** The domain templates in play. */
  List<DomainSpec> domainSpecs() {
    return domains.isEmpty() ? Domains.ALL : domains.stream().map(Domains.BY_NAME::get).toList();
  }

  /** This configuration with another mode and action protocol. */
  public TextToSqlConfig with(Mode mode, Actions actions) {
    return new TextToSqlConfig(mode, actions, maxTurns, match, reward, data, path, questions, seed, domains,
        databasesPerDomain, perturbations, questionsPerKind, exploreTimeoutMillis, gradeTimeoutMillis, maxRows, threads,
        split);
  }

  /** This configuration reading {@code source} files in {@code path}, questions from {@code questions}. */
  public TextToSqlConfig loading(Source source, String path, String questions) {
    return new TextToSqlConfig(mode, actions, maxTurns, match, reward, source, path, questions, seed, domains,
        databasesPerDomain, perturbations, questionsPerKind, exploreTimeoutMillis, gradeTimeoutMillis, maxRows, threads,
        split);
  }

  /**
   * This configuration generating {@code databasesPerDomain} databases of {@code domains} (empty for all), each
   * with {@code perturbations} perturbed copies and {@code questionsPerKind} questions per template kind.
   */
  public TextToSqlConfig generating(List<String> domains, int databasesPerDomain, int perturbations,
      int questionsPerKind) {
    return new TextToSqlConfig(mode, actions, maxTurns, match, reward, data, path, questions, seed, domains,
        databasesPerDomain, perturbations, questionsPerKind, exploreTimeoutMillis, gradeTimeoutMillis, maxRows, threads,
        split);
  }

  /** This configuration with other time limits, in milliseconds. */
  public TextToSqlConfig withTimeouts(long exploreTimeoutMillis, long gradeTimeoutMillis) {
    return new TextToSqlConfig(mode, actions, maxTurns, match, reward, data, path, questions, seed, domains,
        databasesPerDomain, perturbations, questionsPerKind, exploreTimeoutMillis, gradeTimeoutMillis, maxRows, threads,
        split);
  }

  /** This configuration with another match rule and reward. */
  public TextToSqlConfig scoring(ExecutionMatch match, Reward reward) {
    return new TextToSqlConfig(mode, actions, maxTurns, match, reward, data, path, questions, seed, domains,
        databasesPerDomain, perturbations, questionsPerKind, exploreTimeoutMillis, gradeTimeoutMillis, maxRows, threads,
        split);
  }

  /** This configuration playing {@code split}'s questions. */
  public TextToSqlConfig splitting(Split split) {
    return new TextToSqlConfig(mode, actions, maxTurns, match, reward, data, path, questions, seed, domains,
        databasesPerDomain, perturbations, questionsPerKind, exploreTimeoutMillis, gradeTimeoutMillis, maxRows, threads,
        split);
  }

  /**
   * The key of the world this configuration plays, for {@code PluginContext.shared}: equal worlds, equal keys. The
   * split is not part of it: a run's training and held-out environments share one world.
   */
  String worldKey() {
    return "text-to-sql/world/" + data + "/" + (data == Source.GENERATED
        ? seed + "/" + domains + "/" + databasesPerDomain + "/" + perturbations + "/" + questionsPerKind
        : java.nio.file.Path.of(path).toAbsolutePath().normalize() + "/" + questions);
  }
}
