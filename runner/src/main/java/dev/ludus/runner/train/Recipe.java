package dev.ludus.runner.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.agents.djl.DjlLmAgentProvider;
import dev.ludus.agents.djl.LmTokenizer;
import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Episode;
import dev.ludus.api.EnvironmentProvider;
import dev.ludus.api.LedgerEntry;
import dev.ludus.api.Message;
import dev.ludus.api.Plugin;
import dev.ludus.api.PrivilegedAgent;
import dev.ludus.api.Registry;
import dev.ludus.api.SignalKey;
import dev.ludus.environments.text.ActionText;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.config.PluginConfigs;
import dev.ludus.runner.learn.advantage.AdvantageEstimators;
import dev.ludus.runner.runtime.EpisodeListener;
import dev.ludus.runner.runtime.EpisodeRuntime;
import dev.ludus.runner.runtime.Rollout;
import dev.ludus.runner.runtime.RolloutOptions;
import dev.ludus.runner.runtime.RuntimeOptions;
import dev.ludus.runner.config.ShapingFactory;
import dev.ludus.runner.config.ShapingSpec;
import dev.ludus.shaping.ShapingPipeline;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

/**
 * The one training recipe of {@code ludus train --env NAME}: every field of a {@link TrainConfig} that neither the
 * command line nor a config file sets comes from a rule over what the environment is and declares, so that any
 * registered environment (a plugin's included) trains without a config file.
 *
 * <p>Design note. Resolution lays four layers over one another, field by field (nested mappings merge; a list, and
 * the {@code shaping} spec as a whole, replace): the recipe's values, the embedded default of the main job
 * ({@code ./ludus train} with no environment named: guess-number 1 to 8 in 4 guesses; {@code main-job.yaml}), the
 * config file, the command line. Every leaf keeps the {@link Origin} of the layer that set it, and a field no
 * layer sets is its plugin's default (the environment's, {@code djl-lm}'s, the learner's, the estimator's).
 * The recipe's values that depend on the environment's text are measured on a few seeded episodes of its
 * oracle and random agent (the {@link TokenizerCorpus}): the tokenizer is trained on them, the longest prompt and
 * reply give {@code context} and {@code maxNewTokens}, the oracle's path gives each shaper's weight, and a probe
 * says whether the environment reads the oracle's bare action. Measurements are memoized per environment,
 * configuration and tokenizer, so resolving the same environment twice in a JVM measures once.
 *
 * <p>The rules ({@link #RULES} for shaping; the others in {@link #recipeTree}):
 *
 * <ul>
 *   <li>warm start: from the environment's oracle when it has one ({@code warmStartEpisodes} 32, up to 128 as the
 *       measured tasks' openings differ ({@link #warmStartEpisodes}), until every
 *       demonstrated token is the policy's most likely one and their mean loss is at most 0.1 nats, or 1 nat over
 *       the longest demonstrated reply where that is less ({@link #warmStartLoss}), at most 400 steps; then more, as
 *       many again each round up to 128, while the fitted policy mispredicts fresh oracle episodes:
 *       {@code warmStartMaxEpisodes}); none
 *       without an oracle; where each observation shows the whole state and the tasks open differently (a board
 *       world: {@link #statesWarmStart}) up to 1024 episodes instead, in draws of 64 demonstrations a step, at most
 *       1600 steps, and where it also declares its board's cells and its oracle acts from any state (sokoban) a
 *       share {@link #WARM_START_NOISE} of the oracle's turns played by the random agent, each still demonstrated
 *       with the oracle's action ({@code warmStartNoise}, DART), at a cosine learning rate ({@code
 *       warmStartSchedule}), up to {@value #NOISY_WARM_START_EPISODES} episodes and {@value #NOISY_WARM_START_STEPS}
 *       steps, and {@value #NOISY_ITERATIONS} RL iterations instead of 30 (the fit takes their time);
 *       where the context is at least {@value #LONG_CONTEXT} tokens, a draw takes whole demonstrated conversations
 *       ({@code warmStartDraws: episodes}), each a packed row of its own, RL has {@value #LONG_CONTEXT_ITERATIONS}
 *       iterations instead of 30 and generation caches each conversation's keys and values across turns
 *       ({@code model.kvCache});
 *   <li>{@code warmStartTarget}: {@code action} (the oracle's action alone, shorter replies) when the oracle still
 *       wins as often writing only its action, else {@code message};
 *   <li>estimator: {@code igpo} (turn-level advantages with a per-turn-index baseline: unbiased on the outcome alone,
 *       and it credits each turn's shaping); {@code ppo-gae} when the group size is 1 (the only estimator
 *       without groups);
 *   <li>shaping: {@code outcome}, plus a dense shaper for each signal of {@link #RULES} the environment declares,
 *       weighted so that all of them together pay at most half the oracle's outcome along the oracle's own path
 *       (a shaper that pays nothing there is left out); in a multi-agent environment that declares the seats' joint
 *       score ({@value #JOINT_SCORE}), {@code signal-reward} on it at weight 1: each seat is paid the joint score
 *       besides its own (prosocial reward, Peysakhovich and Lerer 2018), since self-play on each seat's own points
 *       erodes agreement (Lewis et al. 2017; on deal-or-no-deal sampled agreement fell 0.61 to 0.26 in two
 *       iterations);
 *   <li>tokenizer: a byte-level BPE of at most 512 tokens trained on the environment's text (never an unknown
 *       token), each opening message that every measured episode repeats unchanged one token of it
 *       ({@link TokenizerCorpus.Episodes#constantOpenings}: a constant system prompt costs one position, not hundreds),
 *       and so is the longest prefix and suffix that a varying opening message shares in every measured episode
 *       ({@link OpeningSpans}: the instructions around a question, a schema before it; {@code model.bpe.wholeTexts});
 *       the board cells an environment declares ({@code EnvironmentProvider#gridCells}) are not made one token each
 *       unless the config sets {@code model.bpe.gridCells} (measured no better on sokoban);
 *   <li>{@code model.positions}: rotary (RoFormer) where at least {@value #COPIED_SHARE} of the oracle's reply words
 *       are copied from their episode ({@link CopiedText}: search-qa, text-to-sql, intent-discovery,
 *       deal-or-no-deal), else the learned positions;
 *   <li>{@code model.historyWindow}: 1 (the policy reads the latest observation alone) where the environment says
 *       its observations supersede earlier ones ({@code EnvironmentProvider#observationsSupersede}), else 0 (the
 *       whole conversation); the lengths below are measured as that policy reads the conversations;
 *   <li>{@code maxNewTokens}: the longest demonstrated reply (its end-of-turn token included) plus a quarter, at
 *       least 2 more; {@code context}: the longest prompt plus {@code maxNewTokens}, rounded up to 32, at most
 *       {@value #MAX_CONTEXT} (a longer conversation loses its oldest tokens);
 *   <li>{@code model.temperature}: 1, or 0.5 after a warm start whose longest demonstrated reply is over 32 tokens
 *       (Lewis et al. 2017 sampled their negotiation RL at 0.5): at 1, one unlikely token derails the rest of a long
 *       reply (search-qa's 52-token replies: greedy won 0.17 of held-out questions, sampling 0.01 of training ones);
 *   <li>the rest are the main job's: 2 layers of width 64 with 4 heads, 30 iterations
 *       of 16 tasks × 8 episodes, 2 epochs of 4 mini-batches, RL learning rate 1e-4 (a tenth of imitation's,
 *       {@link #RL_LEARNING_RATE}), a KL anchor
 *       of 0.04 to the warm-started policy, 128 greedy held-out episodes per evaluation;
 *   <li>keeping the warm start: with a warm start, every RL update also imitates its demonstrations
 *       ({@code learner.ptxCoefficient} 1, PPO-ptx; a draw of {@value #PTX_ROWS} demonstration rows per update,
 *       {@code learner.ptxRows}; where the context is at least {@value #LONG_CONTEXT} tokens, as many as an RL
 *       mini-batch has episodes ({@link #longContextPtxRows}); where the oracle can act from any state, DAgger ({@code learner.ptxLabels}
 *       {@value #PTX_LABELS}): the oracle labels the states where one greedy episode per task failed, a term of its own),
 *       and for every environment an iteration's updates stop at a
 *       trust region ({@code learner.targetKl} 0.02), and the run ends with the weights that did best on a
 *       validation split, checked every {@value #VALIDATE_EVERY} iterations ({@code validateEvery}): on the Mastermind plugin RL otherwise lost a tenth of the warm
 *       start's held-out success (issue 19); RL stops at a perfect validation, which no later weights could beat
 *       ({@link TrainingLoop});
 *   <li>{@code selfPlay}: in a multi-agent environment {@code frozen-partner} (Lewis et al. 2017): the policy learns
 *       in one seat, alternating from group to group, against a frozen copy of itself as RL starts ({@link
 *       FrozenPartner}); only that seat's episodes are trained and the held-out evaluations play against that
 *       partner; unset (meaningless, refused if a config sets it) in a single-agent one.
 * </ul>
 *
 * <p>A field that makes no sense for the environment is refused with a {@link ConfigException} naming it: a warm
 * start without an oracle, an {@code --env} that contradicts the config file's {@code env}; the trainer's own checks
 * ({@link Trainer#validate}) refuse a shaper reading a signal the environment does not declare, a group estimator
 * with groups of one and two tokenizers in one model (a layer's tokenizer replaces the one beneath it).
 * Stateless apart from the memo; thread-safe.
 */
public final class Recipe {
  /** The longest context the recipe gives a policy. */
  public static final int MAX_CONTEXT = 1024;
  /** The share of the oracle's outcome that the dense shapers together may pay along the oracle's path. */
  public static final double SHAPING_BUDGET = 0.5;
  /** The warm start's stopping loss per demonstrated token, nats (at most; see {@link #warmStartLoss}). */
  public static final double WARM_START_LOSS = 0.1;
  /** The warm start's stopping loss over the longest demonstrated reply, nats (see {@link #warmStartLoss}). */
  public static final double REPLY_LOSS = 1.0;
  /** A demonstrated reply of more tokens than this (end of turn included) is long ({@link #LONG_REPLY_TEMPERATURE}). */
  public static final int LONG_REPLY = 32;
  /**
   * The sampling temperature of RL's episodes after a warm start whose longest demonstrated reply is long
   * ({@link #LONG_REPLY}); 1 otherwise. Evaluations stay greedy.
   */
  public static final double LONG_REPLY_TEMPERATURE = 0.5;
  /**
   * The signal of a multi-agent environment's joint score (the seats' points together), which the recipe pays every
   * seat at weight 1 besides its own outcome (see {@link #shaping}).
   */
  public static final String JOINT_SCORE = "joint-score";
  /** Oracle episodes of the warm start when every task opens with the same text. */
  public static final int WARM_START_EPISODES = 32;
  /** Oracle episodes of the warm start when every task opens with a text of its own (a room, a map). */
  public static final int MAX_WARM_START_EPISODES = 128;
  /**
   * Demonstrations a warm-start step imitates ({@code warmStartBatch}) where there are at least twice as many: the
   * step's cost no longer grows with them (gridworld 5x5 seed 1: 41.4 s of CPU against 214.5, held-out after the warm
   * start 1.000 against 0.945; frozen-lake seed 1: 123.4 s against 374, 0.914 both).
   */
  public static final int WARM_START_BATCH = 64;
  /**
   * Oracle episodes of the warm start when every task opens with a text of its own and every observation shows the
   * whole state ({@link #statesWarmStart}): sokoban 4x4's warm start won 0.35 to 0.41 of held-out rooms from 128
   * rooms (every one of them played perfectly: learnt by heart), 0.609 from 1024.
   */
  public static final int STATE_WARM_START_EPISODES = 1024;
  /**
   * The most warm-start steps of a {@link #statesWarmStart}: about 22 epochs of sokoban 4x4's 4,627 demonstrations
   * (400 steps left it at token accuracy 0.912 and 0.453 held-out, 1600 at 0.959 and 0.609).
   */
  public static final int STATE_WARM_START_STEPS = 1600;
  /**
   * Demonstration rows the PPO-ptx term draws per update where the context is long ({@link #LONG_CONTEXT}): as many
   * as an RL mini-batch has episodes, {@code tasks × groupSize / miniBatches} (32 at the recipe's 16 × 8 / 4), at
   * least one. There each packed demonstration row is a whole conversation of hundreds of tokens: tutoring's 128 of
   * them (6 messages, context 384) cost about four times the RL mini-batch's 34 rows they were added to (about four
   * fifths of an update's cells), and updates were 566 of its 1,063 CPU seconds; drawing 32, 297 of 800 (seed 1:
   * held-out 0.930 → 0.992 before, 0.945 → 0.969 after).
   */
  static int longContextPtxRows(int tasksPerIteration, int groupSize, int miniBatches) {
    return Math.max(1, tasksPerIteration * groupSize / Math.max(1, miniBatches));
  }

  /** AdamW's step size for imitation, the warm start's and the PPO-ptx term's ({@code learner.imitationLearningRate}). */
  public static final double IMITATION_LEARNING_RATE = 1e-3;
  /**
   * AdamW's step size for RL ({@code learner.learningRate}): a tenth of imitation's. Adam moves every weight by about
   * its learning rate a step however little the step was told, and a strong warm start gives RL little to tell: on
   * frozen-lake (12 moves) 54–81% of the groups all won, and a handful of DAgger labels (6 tokens at 0.8 nats, a
   * term of their own) drove the update (gradient norm 6–8, clipped to 1). At half the imitation rate they were
   * learnt by heart in 4 iterations while the KL to the warm start rose from 0 to 0.1–0.3 and sampled success fell
   * from 0.94 to 0.80; seed 2's validation fell 0.891 → 0.836 → 0.898 → 0.797 (won 5, lost 17 after 30 iterations).
   * At a tenth it rose to 0.945 (won 9, lost 2); seeds 1 and 3 ended within the noise of their warm starts (0.930 and
   * 0.922 after 30 iterations, against 0.906 and 0.867), and the Mastermind plugin ended at 1.000, 1.000 and 0.984
   * (1.000 each before) (issue 19). Those were replays from one warm start per seed; three whole frozen-lake runs,
   * whose fits came out otherwise, still set RL's weights aside on every seed (0.917 → 0.917).
   */
  public static final double RL_LEARNING_RATE = IMITATION_LEARNING_RATE / 10;
  /** Demonstration rows the PPO-ptx term draws per update ({@code learner.ptxRows}). */
  public static final int PTX_ROWS = 256;
  /**
   * The share of the oracle's reply words copied from their episode ({@link CopiedText}) from which the policy gets
   * rotary positions ({@code model.positions}): search-qa's replies copy 0.29 of their words (the question's name,
   * the passage's answer), deal-or-no-deal's 0.19, intent-discovery's 0.16 (the slots' values), text-to-sql's 0.15
   * (the question's values, the schema's names); the board worlds', guess-number's and twenty-questions' 0 to 0.03,
   * tutoring's, emotional-support's and the Mastermind plugin's below 0.1.
   */
  public static final double COPIED_SHARE = 0.1;
  /** A context of at least this many tokens holds long conversations ({@link #longContextPtxRows}). */
  public static final int LONG_CONTEXT = 256;
  /**
   * RL iterations where the context is long ({@link #LONG_CONTEXT}; 30 elsewhere): an iteration of tutoring's
   * (6 messages, context 384) cost about 16 CPU s of rollouts and updates, and a whole run 800 to 832 CPU s, over the
   * 10 minutes of issue 19; both measured seeds kept the weights validated after 20 iterations (held out 0.969 and
   * 0.992; the 30th's validated within the noise of them, 1.000 and 0.992).
   */
  public static final int LONG_CONTEXT_ITERATIONS = 20;
  /** RL iterations between validations of the model selection ({@code validateEvery}). */
  public static final int VALIDATE_EVERY = 10;
  /** On-policy oracle labels the PPO-ptx term keeps ({@code learner.ptxLabels}) where the oracle acts from any state. */
  public static final int PTX_LABELS = 1024;
  /**
   * DART's noise on the warm start's oracle episodes ({@code warmStartNoise}) where the oracle acts from any state:
   * the share of their turns the random agent plays, each still demonstrated with the oracle's action (Laskey et al.
   * 2017; Ross et al. 2011's β-mixture). Sokoban's greedy policy repeated a blocked move in 837 of 2,177 moves, a
   * state the oracle alone never shows. Only in a board world ({@link #statesWarmStart}) that declares its cells
   * ({@code EnvironmentProvider#gridCells}: sokoban): on guess-number (1 to 8) it grew the warm start from 32 to 128
   * oracle episodes (11.1 to 19.8 s of CPU), on gridworld 5x5 its fit from 198 to 1512 steps (53 to 373 s of CPU),
   * each for the same held-out 1.000 (seed 1).
   */
  public static final double WARM_START_NOISE = 0.1;
  /**
   * Oracle episodes of a warm start with DART's noise ({@link #WARM_START_NOISE}), up to this many as the tasks'
   * openings differ: the noise's off-path states are more to learn than the oracle's path alone (issue 19). With
   * {@link #NOISY_WARM_START_STEPS} and {@link #NOISY_ITERATIONS}, sokoban 4x4 over 3 seeds: held-out 0.901 ± 0.012
   * after the warm start since its board opens every observation, 349 to 374 s of CPU a run (0.784 ± 0.058 before
   * that; 0.742 ± 0.061 with 1024 rooms and 1600 steps).
   */
  public static final int NOISY_WARM_START_EPISODES = 2048;
  /**
   * The most warm-start steps where DART's noise is on: the fit of {@link #STATE_WARM_START_STEPS} ended underfit
   * there (sokoban 4x4: token accuracy 0.953 to 0.969 on its own demonstrations while its board followed the last
   * move's line; 0.986 to 0.989 at these steps with the board first).
   */
  public static final int NOISY_WARM_START_STEPS = 2400;
  /**
   * RL iterations where DART's noise is on: the longer fit takes their time, and on sokoban 4x4 RL added nothing:
   * 30 iterations at the earlier RL rate of 5e-4 had their weights set aside on 3 seeds of 3 (175 to 200 s of CPU a
   * run), and so did these 10 at {@link #RL_LEARNING_RATE}, before and after the board opened every observation.
   */
  public static final int NOISY_ITERATIONS = 10;
  /** The resource holding the main job's settings (what {@code ./ludus train} adds to the recipe). */
  static final String MAIN_JOB_RESOURCE = "main-job.yaml";

  private static final Map<String, Measurement> MEMO = new ConcurrentHashMap<>();

  private Recipe() {}

  /** Where a resolved value came from. */
  public enum Source {
    /** a rule of the recipe. */
    RECIPE("recipe"),
    /** the embedded default of {@code ./ludus train}. */
    MAIN_JOB("main job"),
    /** the {@code --config} file. */
    CONFIG_FILE("config file"),
    /** an option of the command line. */
    COMMAND_LINE("command line"),
    /** the default of the plugin that owns the field. */
    PLUGIN_DEFAULT("plugin default");

    private final String label;

    Source(String label) {
      this.label = label;
    }

    /** How it is printed. */
    public String label() {
      return label;
    }
  }

  /**
   * Where one value came from.
   *
   * @param source the layer
   * @param why for a recipe rule, the rule and what it read; for a plugin default, the plugin; else empty
   */
  public record Origin(Source source, String why) {
    public Origin {
      Objects.requireNonNull(source, "source");
      why = why == null ? "" : why;
    }

    /** {@code source: why}, or the source alone. */
    public String describe() {
      return why.isEmpty() ? source.label() : source.label() + ": " + why;
    }
  }

  /**
   * What to resolve.
   *
   * @param env the environment named on the command line ({@code --env}), or null
   * @param envConfig the environment's settings from the command line ({@code --env-config}, a file or inline YAML
   *     or JSON), or null
   * @param config the config file ({@code --config}, a path or inline YAML or JSON), or null
   * @param commandLine other top-level fields the command line sets ({@code iterations}, {@code seed},
   *     {@code shaping}), or null
   */
  public record Request(String env, String envConfig, String config, ObjectNode commandLine) {
    public Request {
      commandLine = commandLine == null ? Json.YAML.createObjectNode() : commandLine.deepCopy();
    }

    /** Only a config file (or none: the main job). */
    public static Request ofConfig(String config) {
      return new Request(null, null, config, null);
    }

    /** An environment and its settings, nothing else. */
    public static Request ofEnv(String env, String envConfig) {
      return new Request(env, envConfig, null, null);
    }
  }

  /**
   * What the recipe measured of an environment.
   *
   * @param oracle whether the environment has an oracle
   * @param multiAgent whether it has seats
   * @param signals the signals it declares
   * @param lengths the token lengths of the conversations measured (the oracle's, else the random agent's)
   * @param lengthsOf whose episodes those are ({@code oracle} or {@code random})
   * @param oracleSuccess the oracle's success writing its whole messages (NaN without an oracle)
   * @param actionSuccess the oracle's success writing only its actions (NaN without an oracle)
   * @param outcomeScale the mean outcome of the measured episodes that succeeded (1 when none did)
   * @param pathTotals what each candidate shaper paid at most along one measured episode, raw, by name
   * @param tokenizer the tokenizer measured with
   * @param openings the measured episodes whose openings were compared (the oracle's, else the random agent's)
   * @param distinctOpenings how many different openings they had, the messages every one repeats left out: 1 when
   *     the policy starts every task from the same text (a hidden number), {@code openings} when each task shows
   *     itself (a room, a map)
   * @param oracleReturn the oracle's mean return (the environment's reward summed over an episode) writing whole
   *     messages: what a score environment's policy is measured against (NaN without an oracle)
   */
  public record Facts(boolean oracle, boolean multiAgent, List<String> signals, TokenizerCorpus.Lengths lengths,
      String lengthsOf, double oracleSuccess, double actionSuccess, double outcomeScale,
      Map<String, Double> pathTotals, String tokenizer, int openings, int distinctOpenings, double oracleReturn) {
    /** {@code (distinctOpenings - 1) / (openings - 1)}: 0 when every task opens alike, 1 when none do. */
    public double openingDiversity() {
      return openings < 2 ? 0 : (distinctOpenings - 1) / (double) (openings - 1);
    }
  }

  /**
   * A shaping rule: when the environment declares {@code signal}, {@code shaper} with {@code config} joins the
   * outcome. {@code unless} names a signal whose presence makes this rule give way to another.
   */
  record Rule(String signal, String unless, String shaper, String config, String why) {}

  /** The shaping rules, in the order their shapers are listed; each cites the reward catalog's entry. */
  static final List<Rule> RULES = List.of(
      new Rule("candidate-entropy", null, "info-gain", "{signal: candidate-entropy}",
          "Nous (catalog A5): the entropy drop of the candidates still open, in bits, telescoping to H0 - HT"),
      new Rule("candidate-count", "candidate-entropy", "info-gain", "{signal: candidate-count, count: true}",
          "Nous (catalog A5) over a candidate count: log2 of the ratio of the counts before and after each turn"),
      new Rule("subgoal", null, "subgoal", "{}",
          "CALM (catalog A8): a bonus the first time each subgoal is reached, so it cannot be farmed"),
      new Rule("steps-to-goal", null, "potential", "{signal: steps-to-goal, scale: -1.0}",
          "potential-based shaping (Ng et al., catalog A11) on the distance to the goal: policy-invariant"),
      new Rule("boxes-on-target", null, "potential", "{signal: boxes-on-target, scale: 1.0}",
          "potential-based shaping (catalog A11) on the progress count: policy-invariant"),
      new Rule("emotion", null, "emotion-delta", "{}",
          "RLVER (catalog A4): the simulated user's emotion change per turn, telescoping to the final score"),
      new Rule("gold-retrieved", null, "retrieval-credit", "{}",
          "ChatR1 (catalog A13, reconstructed): credit for a search that retrieved new gold evidence"));

  /**
   * Resolves {@code request} against {@code registry}: the recipe, the main job when no environment is named (or the
   * config names the main job's), the config file and the command line, each over the one before.
   *
   * @throws ConfigException for bad input, naming the field and what is allowed
   */
  public static ResolvedConfig resolve(Registry registry, Request request) {
    Objects.requireNonNull(registry, "registry");
    ObjectNode file = PluginConfigs.tree(probe(), request.config());
    ObjectNode mainJob = mainJob();
    String fileEnv = textOrNull(file.get("env"));
    if (request.env() != null && fileEnv != null && !request.env().equals(fileEnv)) {
      throw new ConfigException("train: --env " + request.env() + " and the config file's env: " + fileEnv
          + " name different environments; name it once");
    }
    String envName = request.env() != null ? request.env() : fileEnv != null ? fileEnv : mainJob.get("env").asText();
    List<Layer> layers = new ArrayList<>();
    if (request.env() == null && (fileEnv == null || fileEnv.equals(mainJob.get("env").asText()))) {
      layers.add(new Layer(Source.MAIN_JOB, mainJob));
    }
    layers.add(new Layer(Source.CONFIG_FILE, file));
    ObjectNode cli = request.commandLine().deepCopy();
    if (request.env() != null) {
      cli.put("env", request.env());
    }
    if (request.envConfig() != null) {
      EnvironmentProvider<?> provider = registry.environments().get(envName);
      cli.set("envConfig", PluginConfigs.tree(provider, request.envConfig()));
    }
    layers.add(new Layer(Source.COMMAND_LINE, cli));

    ObjectNode user = Json.YAML.createObjectNode();
    Map<String, Origin> origins = new TreeMap<>();
    for (Layer layer : layers) {
      lay(user, layer, origins);
    }
    user.put("env", envName);
    origins.putIfAbsent("env", new Origin(Source.MAIN_JOB, ""));

    EnvironmentProvider<?> envProvider = registry.environments().get(envName);
    Object envConfig = PluginConfigs.bind(envProvider, user.get("envConfig"));
    BoundEnvironment env = BoundEnvironment.ofUnchecked(envProvider, envConfig);
    boolean oracle = env.oracle().map(a -> {
      a.close();
      return true;
    }).orElse(false);
    refuseSenseless(user, origins, env, oracle);

    ObjectNode recipe = Json.YAML.createObjectNode();
    Map<String, Origin> recipeOrigins = new TreeMap<>();
    Facts facts = recipeTree(registry, env, oracle, user, recipe, recipeOrigins);

    ObjectNode merged = recipe.deepCopy();
    if (user.get("model") instanceof ObjectNode m && tokenizerSources(m) > 0 && merged.get("model") instanceof ObjectNode rm) {
      DjlLmAgentProvider.Config.TOKENIZER_SOURCES.forEach(rm::remove); // the file's tokenizer replaces the recipe's
      recipeOrigins.keySet().removeIf(k -> DjlLmAgentProvider.Config.TOKENIZER_SOURCES.stream()
          .anyMatch(f -> k.equals("model." + f) || k.startsWith("model." + f + ".")));
    }
    overlay(merged, user);
    recipeOrigins.forEach(origins::putIfAbsent);
    TrainConfig config = PluginConfigs.bind(plugin(), merged);
    return new ResolvedConfig(config, origins, facts);
  }

  /** The main job's settings: the embedded resource {@value #MAIN_JOB_RESOURCE}. */
  static ObjectNode mainJob() {
    try (InputStream in = Recipe.class.getResourceAsStream(MAIN_JOB_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the resource " + MAIN_JOB_RESOURCE + " is missing from the runner's jar");
      }
      return (ObjectNode) Json.YAML.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One layer: a tree of the fields it sets, and where they came from. */
  private record Layer(Source source, ObjectNode tree) {}

  /** Lays {@code layer} over {@code into}, recording the origin of every leaf it sets. */
  private static void lay(ObjectNode into, Layer layer, Map<String, Origin> origins) {
    ObjectNode tree = layer.tree();
    if (tree.get("model") instanceof ObjectNode m) {
      int sources = tokenizerSources(m);
      if (sources > 0 && into.get("model") instanceof ObjectNode existing) {
        for (String f : DjlLmAgentProvider.Config.TOKENIZER_SOURCES) {
          existing.remove(f);
          origins.keySet().removeIf(k -> k.equals("model." + f) || k.startsWith("model." + f + "."));
        }
      }
    }
    if (tree.has("shaping") && into.has("shaping")) {
      into.remove("shaping");
      origins.keySet().removeIf(k -> k.equals("shaping") || k.startsWith("shaping."));
    }
    record(tree, "", new Origin(layer.source(), ""), origins);
    overlay(into, tree);
  }

  private static void record(JsonNode node, String prefix, Origin origin, Map<String, Origin> origins) {
    node.properties().forEach(e -> {
      String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      if (e.getValue() instanceof ObjectNode o && !path.equals("shaping") && !o.isEmpty()) {
        record(o, path, origin, origins);
      } else {
        origins.put(path, origin);
      }
    });
  }

  /** {@code over}'s fields laid over {@code base}'s (nested mappings merge, everything else replaces). */
  static void overlay(ObjectNode base, JsonNode over) {
    over.properties().forEach(e -> {
      JsonNode existing = base.get(e.getKey());
      if (existing instanceof ObjectNode eo && e.getValue() instanceof ObjectNode vo && !e.getKey().equals("shaping")) {
        overlay(eo, vo);
      } else {
        base.set(e.getKey(), e.getValue().deepCopy());
      }
    });
  }

  private static int tokenizerSources(ObjectNode model) {
    return (int) DjlLmAgentProvider.Config.TOKENIZER_SOURCES.stream().filter(model::hasNonNull).count();
  }

  /** Refuses what the user set that makes no sense for this environment. */
  private static void refuseSenseless(ObjectNode user, Map<String, Origin> origins, BoundEnvironment env,
      boolean oracle) {
    FrozenPartner.refuseSenseless(textOrNull(user.get("selfPlay")), textOrNull(user.get("learningSeat")), env,
        field -> origins.get(field).describe());
    JsonNode episodes = user.get("warmStartEpisodes");
    if (!oracle && episodes != null && episodes.asInt() > 0) {
      throw new ConfigException("train: warmStartEpisodes is " + episodes.asInt() + " (" + origins.get(
          "warmStartEpisodes").describe() + ") but environment '" + env.name() + "' has no oracle to imitate; leave it "
          + "out (the recipe warm-starts only from an oracle) or set it to 0");
    }
  }

  /**
   * Fills {@code recipe} with the recipe's value of every field (and {@code origins} with why), measuring the
   * environment where a value depends on its text and the user did not set it.
   */
  private static Facts recipeTree(Registry registry, BoundEnvironment env, boolean oracle, ObjectNode user,
      ObjectNode recipe, Map<String, Origin> origins) {
    JsonNode userModel = user.path("model");
    int groupSize = user.has("groupSize") ? user.get("groupSize").asInt() : 8;
    boolean warm = user.has("warmStartEpisodes") ? user.get("warmStartEpisodes").asInt() > 0 : oracle;

    put(recipe, origins, "estimator", groupSize == 1 ? "ppo-gae" : "igpo", groupSize == 1
        ? "groups of one: ppo-gae, the estimator that needs no group (a critic's baseline)"
        : "igpo: turn-level advantages, a per-turn-index baseline (unbiased on the outcome alone; credits shaping)");
    put(recipe, origins, "algorithm", "ppo", "PPO-clip on the estimator's advantages (dpo, ipo and raft learn from "
        + "the ranking within each group instead)");
    ObjectNode preference = recipe.putObject("preference");
    put(preference, origins, "preference.beta", 0.1, "dpo/ipo only");
    put(preference, origins, "preference.topK", 1, "raft only");
    put(recipe, origins, "iterations", 30, "");
    put(recipe, origins, "tasksPerIteration", 16, "");
    put(recipe, origins, "groupSize", 8, "");
    put(recipe, origins, "epochs", 2, "");
    put(recipe, origins, "miniBatches", 4, "");
    put(recipe, origins, "maxStaleness", 0, "synchronous");
    put(recipe, origins, "warmStartEpisodes", oracle ? WARM_START_EPISODES : 0,
        oracle ? "the environment has an oracle" : "the environment has no oracle");
    put(recipe, origins, "warmStartSteps", 400, "at most; the warm start stops once fitted");
    boolean grow = oracle && !user.has("warmStartEpisodes");
    put(recipe, origins, "warmStartMaxEpisodes", grow ? MAX_WARM_START_EPISODES : 0, grow
        ? "more oracle episodes, as many again each round, while the fitted policy mispredicts fresh ones (held-out "
        + "imitation)" : oracle ? "the config sets warmStartEpisodes: exactly that many" : "no oracle");
    put(recipe, origins, "warmStartBatch", WARM_START_BATCH, "each warm-start step imitates a draw of 64 "
        + "demonstrations where there are at least 128 (fewer: all of them every step)");
    put(recipe, origins, "warmStartAccuracy", 1.0, "until every demonstrated token is the policy's most likely one");
    put(recipe, origins, "warmStartLoss", WARM_START_LOSS, "and the demonstrated tokens' mean negative "
        + "log-likelihood is at most 0.1 nats (likely, not only most likely: a sampled policy that is still flat gives "
        + "RL nothing)");
    put(recipe, origins, "evalEpisodes", 128, "");
    put(recipe, origins, "evalTemperature", 0.0, "greedy");
    put(recipe, origins, "checkpointEvery", 10, "");
    put(recipe, origins, "checkpointEveryMinutes", TrainConfig.DEFAULT_CHECKPOINT_MINUTES,
        "and after this many minutes, so a kill loses at most a few");
    put(recipe, origins, "validateEvery", VALIDATE_EVERY, "model selection: the greedy policy is validated on "
        + "seeds apart from the held-out ones before RL, every this many iterations and after the last, and the run "
        + "ends with the weights that did best there (the warm start's if RL never beat them)");
    put(recipe, origins, "stopAtPerfectValidation", true, "RL stops at a perfect validation, which no later weights "
        + "could beat (a tie keeps the earlier ones)");
    if (env.multiAgent()) {
      put(recipe, origins, "selfPlay", TrainConfig.SelfPlay.FROZEN_PARTNER.label(), "a multi-agent environment: "
          + "the policy learns in one seat (alternating from group to group) against a frozen copy of itself as RL "
          + "starts, and only that seat's episodes are trained (Lewis et al. 2017: self-play drifts away from the "
          + "language and the deals the warm start learnt)");
    }
    put(recipe, origins, "concurrency", 256, "");
    put(recipe, origins, "seed", 0, "");
    ObjectNode learner = recipe.putObject("learner");
    put(learner, origins, "learner.learningRate", RL_LEARNING_RATE, "RL steps a tenth of imitation's: a strong warm "
        + "start gives RL little signal, and Adam steps by the learning rate however little a step was told");
    put(learner, origins, "learner.imitationLearningRate", IMITATION_LEARNING_RATE, "");
    put(learner, origins, "learner.klCoefficient", 0.04, "anchored to the policy the warm start left");
    put(learner, origins, "learner.ptxCoefficient", warm ? 1.0 : 0.0, warm
        ? "PPO-ptx: every RL update keeps imitating the warm start's demonstrations (RL must not lose what it gave)"
        : "no warm start, no demonstrations to keep imitating");
    put(learner, origins, "learner.ptxRows", warm ? PTX_ROWS : 0, warm ? "the imitation term reads a uniform draw of "
        + "this many demonstration rows per update, reweighted so its expectation is the whole set's (its cost stays "
        + "that of at most this many rows however many demonstrations there are; a small warm start is read whole)"
        : "no demonstrations");
    boolean dagger = warm && env.oracleActsFromAnyState();
    put(learner, origins, "learner.ptxLabels", dagger ? PTX_LABELS : 0, dagger ? "DAgger: the oracle labels the states "
        + "where the greedy policy failed (one greedy episode per task each iteration), a term of its own in PPO-ptx; "
        + "the oracle can act from any state here" : "no DAgger labels: the environment's oracle cannot act from any "
        + "state, or there is no warm start");
    put(recipe, origins, "warmStartNoise", 0.0, "the oracle alone, but in a board world of declared cells whose "
        + "oracle acts from any state");
    put(recipe, origins, "warmStartSchedule", TrainConfig.CONSTANT, "the imitation learning rate every step, but "
        + "cosine where the warm start has DART's noise");
    put(recipe, origins, "warmStartDraws", TrainConfig.DEMONSTRATIONS, "a warm-start draw takes any demonstrations, "
        + "but whole conversations where the context is long");
    put(learner, origins, "learner.targetKl", 0.02, "trust region: an iteration's updates stop once the policy has "
        + "moved 1.5 × 0.02 nats (k3) from the one that sampled them");
    ObjectNode model = recipe.putObject("model");
    put(model, origins, "model.layers", 2, "");
    put(model, origins, "model.width", 64, "");
    put(model, origins, "model.heads", 4, "");
    put(model, origins, "model.temperature", 1.0, "sample the policy's own distribution");
    put(model, origins, "model.maxBatch", 256, "");
    put(model, origins, "model.maxWaitMillis", 1, "");
    put(model, origins, "model.seed", 0, "");
    put(model, origins, "model.historyWindow", env.observationsSupersede() ? 1 : 0, env.observationsSupersede()
        ? "each observation supersedes the earlier ones (the environment says so): the policy reads the latest alone"
        : "the whole conversation (the environment does not say its observations supersede earlier ones)");
    ObjectNode bpe = model.putObject("bpe");
    put(bpe, origins, "model.bpe.vocabSize", DjlLmAgentProvider.Bpe.DEFAULT_VOCAB_SIZE,
        "a byte-level BPE trained on the environment's text: never an unknown token");
    // EnvironmentProvider#gridCells is offered, not applied: one token a cell was measured no better on sokoban 4x4
    // (fitted 0.305 against 0.313 held-out) and worse at the warm start's step limit (0.219), its boards being longer

    boolean needLengths = !userModel.has("context") || !userModel.has("maxNewTokens");
    boolean needShaping = !user.has("shaping");
    boolean needTarget = warm && !user.has("warmStartTarget");
    boolean needEpisodes = oracle && !user.has("warmStartEpisodes");
    String userTarget = textOrNull(user.get("warmStartTarget"));
    Facts facts = null;
    if (needLengths || needShaping || needTarget || needEpisodes) {
      ObjectNode modelTree = model.deepCopy();
      if (userModel instanceof ObjectNode um) {
        if (tokenizerSources(um) > 0) {
          DjlLmAgentProvider.Config.TOKENIZER_SOURCES.forEach(modelTree::remove);
        }
        overlay(modelTree, um);
      }
      modelTree.put("context", 65536).put("maxNewTokens", 1);
      Measurement m = measure(registry, env, oracle, modelTree, userTarget,
          dev.ludus.runner.config.LlmSection.of(user.get("llm")));
      facts = m.facts();
      if (m.spans() > 0 && !userModel.path("bpe").has("wholeTexts")
          && !(userModel instanceof ObjectNode um && tokenizerSources(um) > 0)) {
        put(bpe, origins, "model.bpe.wholeTexts", m.wholeTexts(), m.spans() + " span(s) of the opening messages that "
            + "every measured episode shares around its varying text, besides the constant openings: one token each "
            + "(OpeningSpans)");
      }
      if (oracle && m.copiedShare() >= COPIED_SHARE) {
        put(model, origins, "model.positions", "rotary", String.format(java.util.Locale.ROOT, "%.2f of the oracle's "
            + "reply words are copied from their episode (at least %.2f): rotary positions (RoFormer), whose attention "
            + "sees distances, so copying learnt at one place of the prompt holds at another; with learned positions "
            + "text-to-sql's warm start answered no held-out question", m.copiedShare(), COPIED_SHARE));
      }
      if (needTarget) {
        boolean action = m.actionTarget();
        put(recipe, origins, "warmStartTarget", action ? TrainConfig.ACTION : TrainConfig.MESSAGE, String.format(
            java.util.Locale.ROOT, "the oracle wins %.2f writing only its action, %.2f writing whole messages",
            facts.actionSuccess(), facts.oracleSuccess()));
      }
      if (needLengths) {
        TokenizerCorpus.Lengths l = facts.lengths();
        int reply = l.longestReply();
        int maxNew = userModel.has("maxNewTokens") ? userModel.get("maxNewTokens").asInt()
            : reply + Math.max(2, (reply + 3) / 4);
        put(model, origins, "model.maxNewTokens", maxNew, "the longest " + facts.lengthsOf() + " reply is " + reply
            + " tokens (end of turn included), plus a quarter, at least 2");
        int context = Math.min(MAX_CONTEXT, Math.max(64, (l.longestPrompt() + maxNew + 31) / 32 * 32));
        if (context <= maxNew) {
          context = Math.min(65536, (maxNew + 32) / 32 * 32);
        }
        int window = userModel.has("historyWindow") ? userModel.get("historyWindow").asInt()
            : model.path("historyWindow").asInt(0);
        put(model, origins, "model.context", context, "the longest " + (window > 0 && facts.oracle()
            ? "oracle or random-agent prompt as the policy reads it (its latest " + window + " observation(s))"
            : facts.lengthsOf() + " prompt") + " is " + l.longestPrompt() + " tokens; + maxNewTokens, rounded up to "
            + "32, at most " + MAX_CONTEXT);
      }
      if (needShaping) {
        shaping(recipe, origins, facts);
      }
      if (warm && facts.lengths().longestReply() > LONG_REPLY) {
        put(model, origins, "model.temperature", LONG_REPLY_TEMPERATURE, String.format(java.util.Locale.ROOT,
            "the longest demonstrated reply is %d tokens, over %d: sample RL's episodes at %.1f (Lewis et al. 2017's "
            + "RL temperature), where one unlikely token derails the rest of a long reply",
            facts.lengths().longestReply(), LONG_REPLY, LONG_REPLY_TEMPERATURE));
      }
      if (warm) {
        double loss = warmStartLoss(facts);
        put(recipe, origins, "warmStartLoss", loss, String.format(java.util.Locale.ROOT, "and the demonstrated "
            + "tokens' mean negative log-likelihood is at most %.3g nats: %.2g, or %.0f nat over the longest "
            + "demonstrated reply (%d tokens) where that is less, so that sampling reproduces a whole reply, not only "
            + "its tokens one by one, often enough for RL to find successes", loss, WARM_START_LOSS, REPLY_LOSS,
            facts.lengths().longestReply()));
      }
      boolean boards = statesWarmStart(facts, env.observationsSupersede());
      boolean dart = warm && boards && env.oracleActsFromAnyState() && !env.gridCells().isEmpty();
      if (dart) {
        put(recipe, origins, "warmStartNoise", WARM_START_NOISE, "DART (Laskey et al. 2017): a share of the warm "
            + "start's oracle turns is the random agent's, every turn demonstrated with the oracle's action, so the "
            + "demonstrations show how to go on from states off its path (a blocked move); a board world of declared "
            + "cells whose oracle acts from any state");
        put(recipe, origins, "warmStartSchedule", TrainConfig.COSINE, "a long fit on noisy boards' draws: warm-up, "
            + "then a cosine decay to a tenth of the imitation rate over warmStartSteps (Loshchilov and Hutter 2017), "
            + "so its last steps average out the draws' noise; where DART's noise is (measured there alone)");
        put(recipe, origins, "iterations", NOISY_ITERATIONS, "a warm start with DART's noise takes the run's time "
            + "for its longer fit (NOISY_WARM_START_STEPS): RL's 30 iterations added nothing on sokoban 4x4 (its "
            + "weights set aside on 3 seeds of 3), so RL validates once after " + NOISY_ITERATIONS);
      }
      if (needEpisodes && boards) {
        int most = dart ? NOISY_WARM_START_EPISODES : STATE_WARM_START_EPISODES;
        int episodes = warmStartEpisodes(facts, most);
        put(recipe, origins, "warmStartEpisodes", episodes, String.format(java.util.Locale.ROOT,
            "%d oracle episodes, up to %d as the tasks' openings differ (%d different among %d measured %s "
            + "episodes) where each observation shows the whole state: every demonstrated turn is a board and its "
            + "move, and a policy learns 128 boards by heart without reading a new one",
            WARM_START_EPISODES, most, facts.distinctOpenings(), facts.openings(),
            facts.lengthsOf()) + (dart ? " (" + most + " where DART's noise is on: its off-path states are more to "
            + "learn)" : ""));
        put(recipe, origins, "warmStartMaxEpisodes", episodes, "as many as warmStartEpisodes: they are already many");
        put(recipe, origins, "warmStartBatch", WARM_START_BATCH, "a draw of this many demonstrations a step, "
            + "so a step costs the same however many boards there are");
        put(recipe, origins, "warmStartSteps", dart ? NOISY_WARM_START_STEPS : STATE_WARM_START_STEPS, dart
            ? "at most, in draws of " + WARM_START_BATCH + ": DART's noise widens the states to learn and the fit of "
            + STATE_WARM_START_STEPS + " steps ended underfit (token accuracy 0.953 to 0.969 on sokoban 4x4 "
            + "while its board followed the last move's line); the "
            + "warm start stops once fitted"
            : "at most, in draws of " + WARM_START_BATCH + " (about 22 epochs of sokoban 4x4's 1024 episodes); the "
            + "warm start stops once fitted");
      } else if (needEpisodes) {
        put(recipe, origins, "warmStartEpisodes", warmStartEpisodes(facts), String.format(java.util.Locale.ROOT,
            "%d oracle episodes, up to %d as the tasks' openings differ (%d different among %d measured %s "
            + "episodes): a policy that must read its task needs more of them than one that must find it out",
            WARM_START_EPISODES, MAX_WARM_START_EPISODES, facts.distinctOpenings(), facts.openings(),
            facts.lengthsOf()));
      }
    }
    int contextNow = userModel.has("context") ? userModel.get("context").asInt() : model.path("context").asInt(0);
    if (warm && contextNow >= LONG_CONTEXT) {
      int tasks = user.path("tasksPerIteration").asInt(recipe.get("tasksPerIteration").asInt());
      int miniBatches = user.path("miniBatches").asInt(recipe.get("miniBatches").asInt());
      int rows = longContextPtxRows(tasks, groupSize, miniBatches);
      put(learner, origins, "learner.ptxRows", rows, "a context of " + contextNow + " tokens (at least "
          + LONG_CONTEXT + "): each demonstration row is a long conversation, so the imitation term draws as many "
          + "as an RL mini-batch has episodes (" + tasks + " × " + groupSize + " / " + miniBatches + "), reweighted "
          + "so its expectation is the whole set's, and costs about what the RL term does instead of several times it");
      put(recipe, origins, "warmStartDraws", TrainConfig.EPISODES, "a context of " + contextNow + " tokens (at least "
          + LONG_CONTEXT + "): a warm-start draw takes whole demonstrated conversations, each one packed row, about "
          + "as many demonstrations as a draw of any would, in fewer rows (a draw of any 64 turns touches about 50 "
          + "conversations, each a row of its history)");
      put(recipe, origins, "iterations", LONG_CONTEXT_ITERATIONS, "a context of " + contextNow + " tokens (at least "
          + LONG_CONTEXT + "): an iteration's rollouts and updates are conversations of hundreds of tokens, so RL "
          + "gets " + LONG_CONTEXT_ITERATIONS + " iterations, not 30, to stay within 10 minutes on 2 cores");
      put(model, origins, "model.kvCache", true, "a context of " + contextNow + " tokens (at least " + LONG_CONTEXT
          + "): each turn computes only the tokens after the conversation's cached keys and values (the same tokens "
          + "and log-probs as without)");
    }
    return facts;
  }

  /**
   * The warm start's stopping loss: {@link #WARM_START_LOSS} nats per demonstrated token, or {@link #REPLY_LOSS}
   * over the longest demonstrated reply where that is less (3 significant digits, rounded down). A reply of {@code n} tokens at a
   * mean loss of {@code l} is sampled whole with probability about {@code e^(-n l)}: text-to-sql's 70-token queries
   * at 0.1 nats a token came out right once in 16 samples (held-out success 1.0 greedy, 0.06 sampled), so RL's
   * groups saw almost no success; guess-number's 3-token replies keep 0.1.
   */
  static double warmStartLoss(Facts facts) {
    int reply = Math.max(1, facts.lengths().longestReply());
    return new BigDecimal(Math.min(WARM_START_LOSS, REPLY_LOSS / reply))
        .round(new MathContext(3, java.math.RoundingMode.DOWN)).doubleValue();
  }

  /**
   * The warm start's oracle episodes: {@link #WARM_START_EPISODES}, up to {@link #MAX_WARM_START_EPISODES} in
   * proportion to {@link Facts#openingDiversity()}, a multiple of 8. Where every task opens alike (guess-number's
   * hidden number, twenty-questions' hidden thing) the demonstrations differ only by what the feedback said; where
   * every task shows itself (sokoban's room, gridworld's map) 32 demonstrations are 32 boards a small policy can
   * learn by heart and still not read a new one.
   */
  static int warmStartEpisodes(Facts facts) {
    return warmStartEpisodes(facts, MAX_WARM_START_EPISODES);
  }

  /** As {@link #warmStartEpisodes(Facts)}, up to {@code most} where every task opens differently. */
  static int warmStartEpisodes(Facts facts, int most) {
    double share = facts.openingDiversity();
    int n = (int) Math.round((WARM_START_EPISODES + share * (most - WARM_START_EPISODES)) / 8.0);
    return n * 8;
  }

  /**
   * Whether the warm start is a state-to-action problem over many boards ({@link #STATE_WARM_START_EPISODES}): the
   * environment's observations supersede earlier ones (each shows the whole state, so every demonstrated turn is an
   * example of its own) and more than {@link #MAX_WARM_START_EPISODES} oracle episodes come of its openings' diversity.
   */
  static boolean statesWarmStart(Facts facts, boolean observationsSupersede) {
    return observationsSupersede && warmStartEpisodes(facts, STATE_WARM_START_EPISODES) > MAX_WARM_START_EPISODES;
  }

  /** The recipe's shaping from the measured path totals (see {@link #RULES} and {@link #SHAPING_BUDGET}). */
  private static void shaping(ObjectNode recipe, Map<String, Origin> origins, Facts facts) {
    ObjectNode spec = Json.YAML.createObjectNode();
    var shapers = spec.putArray("shapers");
    shapers.addObject().put("name", "outcome");
    List<String> why = new ArrayList<>(List.of("outcome always"));
    Map<String, Double> paying = new LinkedHashMap<>();
    facts.pathTotals().forEach((k, v) -> {
      if (v > 1e-9) {
        paying.put(k, v);
      }
    });
    double budget = SHAPING_BUDGET * facts.outcomeScale() / Math.max(1, paying.size());
    for (Rule rule : RULES) {
      if (!applies(rule, facts.signals())) {
        continue;
      }
      String id = ruleId(rule);
      Double total = paying.get(id);
      if (total == null) {
        if (facts.pathTotals().containsKey(id)) {
          why.add(rule.shaper() + " on " + rule.signal() + " left out (it pays nothing along the "
              + facts.lengthsOf() + "'s path)");
        }
        continue;
      }
      ObjectNode s = shapers.addObject().put("name", rule.shaper());
      if (!id.equals(rule.shaper())) {
        s.put("as", id);
      }
      double weight = new BigDecimal(budget / total).round(new MathContext(3)).doubleValue();
      s.put("weight", weight);
      JsonNode config = yaml(rule.config());
      if (!config.isEmpty()) {
        s.set("config", config);
      }
      why.add(String.format(java.util.Locale.ROOT, "%s %.3g on %s (%s; pays %.3g at most along the %s's path)",
          rule.shaper(), weight, rule.signal(), rule.why(), total, facts.lengthsOf()));
    }
    if (facts.multiAgent() && facts.signals().contains(JOINT_SCORE)) {
      shapers.addObject().put("name", "signal-reward").put("as", JOINT_SCORE).put("weight", 1.0)
          .set("config", yaml("{signal: " + JOINT_SCORE + "}"));
      why.add("signal-reward 1 on " + JOINT_SCORE + " (the seats declare a joint score: each seat is paid it besides "
          + "its own, a prosocial reward after Peysakhovich and Lerer 2018, so a deal lost costs both seats; self-play "
          + "on its own points alone erodes agreement, as Lewis et al. 2017 found)");
    }
    recipe.set("shaping", spec);
    origins.put("shaping", new Origin(Source.RECIPE, String.join("; ", why)));
  }

  /** Whether {@code rule} applies to an environment that declares {@code signals}. */
  static boolean applies(Rule rule, java.util.Collection<String> signals) {
    return signals.contains(rule.signal()) && (rule.unless() == null || !signals.contains(rule.unless()));
  }

  /** The name a rule's shaper is listed under: the shaper's, or {@code shaper-signal} when two rules share one. */
  static String ruleId(Rule rule) {
    long same = RULES.stream().filter(r -> r.shaper().equals(rule.shaper())).count();
    return same > 1 && rule.shaper().equals("potential") ? rule.shaper() + "-" + rule.signal() : rule.shaper();
  }

  private static void put(ObjectNode node, Map<String, Origin> origins, String path, Object value, String why) {
    String field = path.substring(path.lastIndexOf('.') + 1);
    node.set(field, Json.YAML.valueToTree(value));
    origins.put(path, new Origin(Source.RECIPE, why));
  }

  /** What the recipe measured, memoized. */
  private record Measurement(Facts facts, boolean actionTarget, List<String> wholeTexts, int spans,
      double copiedShare) {}

  private static Measurement measure(Registry registry, BoundEnvironment unbound, boolean oracle, ObjectNode modelTree,
      String userTarget, Map<String, dev.ludus.api.chat.ChatEndpoint> chatEndpoints) {
    String key = unbound.provider().getClass().getName() + "@" + System.identityHashCode(unbound.provider().getClass())
        + "|" + Json.YAML.valueToTree(unbound.config()) + "|" + tokenizerKey(modelTree) + "|" + userTarget
        + "|" + chatEndpoints;
    Measurement known = MEMO.get(key);
    if (known != null) {
      return known;
    }
    Measurement m;
    try {
      m = doMeasure(registry, unbound, oracle, modelTree, userTarget, chatEndpoints);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while measuring " + unbound.name(), e);
    }
    MEMO.put(key, m);
    return m;
  }

  private static String tokenizerKey(ObjectNode modelTree) {
    ObjectNode k = Json.YAML.createObjectNode();
    for (String f : List.of("vocabulary", "vocabularyFile", "tokenizerJson", "bpe", "checkpoint", "historyWindow")) {
      if (modelTree.has(f)) {
        k.set(f, modelTree.get(f));
      }
    }
    return k.toString();
  }

  private static Measurement doMeasure(Registry registry, BoundEnvironment unbound, boolean oracle,
      ObjectNode modelTree, String userTarget, Map<String, dev.ludus.api.chat.ChatEndpoint> chatEndpoints)
      throws InterruptedException {
    // the run's llm: endpoints too, so an environment whose simulated user or tools call a model can be measured
    try (EpisodeRuntime runtime = EpisodeRuntime.start(RuntimeOptions.defaults(), registry, chatEndpoints)) {
      BoundEnvironment env = unbound.withContext(runtime.pluginContext());
      TokenizerCorpus.Options options = TokenizerCorpus.Options.defaults();
      TokenizerCorpus.Episodes corpus = TokenizerCorpus.episodes(runtime, env, options);
      double oracleSuccess = oracle ? success(corpus.oracle()) : Double.NaN;
      double actionSuccess = Double.NaN;
      List<Episode> actionEpisodes = List.of();
      if (oracle) {
        try (Agent o = env.oracle().orElseThrow()) {
          actionEpisodes = play(runtime, env, new ActionOnly(o), options.oracleEpisodes(), options.seed());
        }
        actionSuccess = success(actionEpisodes);
      }
      boolean action = userTarget != null ? userTarget.equals(TrainConfig.ACTION)
          : oracle && actionSuccess >= oracleSuccess - 1e-9;
      List<Episode> reference = !oracle ? corpus.random() : action ? actionEpisodes : corpus.oracle();
      String of = oracle ? "oracle" : "random agent";
      TokenizerCorpus.Lengths lengths;
      String tokenizerName;
      try (LmTokenizer tokenizer = tokenizer(modelTree, corpus)) {
        int window = modelTree.path("historyWindow").asInt(0);
        lengths = TokenizerCorpus.lengths(tokenizer, reference, action ? ActionText::extract : TokenizerCorpus::text,
            window);
        if (window > 0 && oracle) {
          // windowed prompts are short, so the random agent's (its invalid actions' longer answers) must fit too
          TokenizerCorpus.Lengths r = TokenizerCorpus.lengths(tokenizer, corpus.random(), TokenizerCorpus::text, window);
          lengths = new TokenizerCorpus.Lengths(Math.max(lengths.longestPrompt(), r.longestPrompt()),
              lengths.longestReply(), Math.max(lengths.longestTurn(), r.longestPrompt() + lengths.longestReply()),
              lengths.turns());
        }
        tokenizerName = tokenizer.toString();
      }
      Set<String> declared = new TreeSet<>();
      for (SignalKey<?> k : env.signals()) {
        declared.add(k.name());
      }
      Map<String, Double> totals = new LinkedHashMap<>();
      for (Rule rule : RULES) {
        if (!applies(rule, declared) || !registry.shapers().names().contains(rule.shaper())) {
          continue;
        }
        totals.put(ruleId(rule), pathTotal(registry, env, rule, reference));
      }
      double outcome = reference.stream().filter(Episode::success).mapToDouble(e -> Math.abs(e.totalReward()))
          .average().orElse(0);
      List<Episode> opened = oracle ? corpus.oracle() : corpus.random();
      List<String> constant = corpus.constantOpenings();
      long distinct = opened.stream().map(e -> e.start() == null ? "" : e.start().stream()
          .map(TokenizerCorpus::text).filter(t -> !constant.contains(t)).collect(Collectors.joining("\u0000")))
          .distinct().count();
      Facts facts = new Facts(oracle, env.multiAgent(), List.copyOf(declared), lengths, of, oracleSuccess,
          actionSuccess, outcome > 1e-9 ? outcome : 1.0, Collections.unmodifiableMap(totals), tokenizerName,
          opened.size(), (int) distinct, oracle
              ? corpus.oracle().stream().mapToDouble(Episode::totalReward).average().orElse(Double.NaN) : Double.NaN);
      List<String> whole = OpeningSpans.of(corpus);
      return new Measurement(facts, action, whole, whole.size() - constant.size(),
          oracle ? CopiedText.share(corpus.oracle()) : 0);
    }
  }

  /**
   * The tokenizer the policy will have: the model's source, a BPE trained on the corpus when it has no texts (with the
   * constant opening messages as whole texts, as {@link TokenizerCorpus#prepare} gives it).
   */
  private static LmTokenizer tokenizer(ObjectNode modelTree, TokenizerCorpus.Episodes corpus) {
    DjlLmAgentProvider.Config c = PluginConfigs.bind(new Plugin<DjlLmAgentProvider.Config>() {
      @Override
      public String name() {
        return "train.model";
      }

      @Override
      public String description() {
        return "the policy";
      }

      @Override
      public Class<DjlLmAgentProvider.Config> configType() {
        return DjlLmAgentProvider.Config.class;
      }

      @Override
      public DjlLmAgentProvider.Config defaultConfig() {
        return DjlLmAgentProvider.Config.defaults();
      }
    }, modelTree);
    if (c.checkpoint() != null && Files.isRegularFile(Path.of(c.checkpoint()).resolve(LmTokenizer.FILE_NAME))) {
      return LmTokenizer.read(Path.of(c.checkpoint()).resolve(LmTokenizer.FILE_NAME));
    }
    if (c.bpe() != null && !c.bpe().hasTexts()) {
      DjlLmAgentProvider.Bpe bpe = c.bpe().withTexts(corpus.texts());
      c = c.withBpe(bpe.wholeTexts() != null ? bpe : bpe.withWholeTexts(OpeningSpans.of(corpus)));
    }
    return DjlLmAgentProvider.tokenizer(c);
  }

  /**
   * The most {@code rule}'s shaper, alone at weight 1, paid along one of {@code episodes}: the sum of its
   * contributions' sizes (a potential that rises and falls back pays both ways).
   */
  private static double pathTotal(Registry registry, BoundEnvironment env, Rule rule, List<Episode> episodes) {
    String id = ruleId(rule);
    ShapingSpec spec = ShapingSpec.read("{shapers: [{name: " + rule.shaper() + ", as: " + id + ", weight: 1.0, config: "
        + rule.config() + "}]}");
    ShapingPipeline pipeline;
    try {
      pipeline = ShapingFactory.build(registry, spec, env);
    } catch (ConfigException cannot) {
      return 0; // e.g. a signal the shaper also needs is not declared
    }
    double most = 0;
    for (Episode e : episodes) {
      double sum = 0;
      for (LedgerEntry l : pipeline.score(e).ledger()) {
        if (l.source().equals(id)) {
          sum += Math.abs(l.value());
        }
      }
      most = Math.max(most, sum);
    }
    return most;
  }

  private static double success(List<Episode> episodes) {
    return episodes.isEmpty() ? 0 : episodes.stream().filter(Episode::success).count() / (double) episodes.size();
  }

  private static List<Episode> play(EpisodeRuntime runtime, BoundEnvironment env, Agent agent, int episodes,
      long seed) throws InterruptedException {
    List<Episode> played = Collections.synchronizedList(new ArrayList<>());
    Rollout rollout = new Rollout("recipe-probe", env, "oracle-action", agent,
        RolloutOptions.of(episodes, Math.min(episodes, 64), seed));
    try {
      runtime.run(rollout, e -> {
        played.add(e);
        return CompletableFuture.completedFuture(null);
      }, EpisodeListener.none()).toCompletableFuture().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("the recipe's probe of " + env.name() + " failed: " + e.getCause(), e.getCause());
    }
    List<Episode> sorted = new ArrayList<>(played);
    sorted.sort(Comparator.comparing(Episode::id));
    return sorted;
  }

  /** The oracle writing only the action part of each message ({@link ActionText#extract}), as a warm start teaches. */
  private static final class ActionOnly implements PrivilegedAgent {
    private final Agent oracle;

    ActionOnly(Agent oracle) {
      this.oracle = oracle;
    }

    @Override
    public CompletionStage<AgentResponse> act(AgentRequest request) {
      return oracle.act(request).thenApply(r -> r instanceof AgentResponse.Reply reply
          ? AgentResponse.reply(Message.assistant(ActionText.extract(reply.message()))) : r);
    }
  }

  private static JsonNode yaml(String text) {
    try {
      return Json.YAML.readTree(text);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String textOrNull(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }

  /** The plugin {@link PluginConfigs#tree} names in messages about the config file. */
  private static Plugin<TrainConfig> probe() {
    return plugin();
  }

  /** Binds a complete tree to a {@link TrainConfig} (a field no layer set has no default: the tree is complete). */
  private static Plugin<TrainConfig> plugin() {
    return new Plugin<>() {
      @Override
      public String name() {
        return "train";
      }

      @Override
      public String description() {
        return "the training loop";
      }

      @Override
      public Class<TrainConfig> configType() {
        return TrainConfig.class;
      }

      @Override
      public TrainConfig defaultConfig() {
        return FALLBACK;
      }
    };
  }

  /** The binder's base, under the recipe's complete tree: only its shape matters. */
  private static final TrainConfig FALLBACK = new TrainConfig("guess-number", null, null, null, "igpo", null, null, 1,
      1, 2, TrainConfig.DynamicSampling.off(), 1, 1, 0, 0, 0, 0.0, 0.0, TrainConfig.ACTION, 1, 0.0, 0, 1, 0, null, null,
      null, TrainConfig.DEFAULT_CHECKPOINT_MINUTES, 0, 0, null, null, true, 0, 0.0, TrainConfig.CONSTANT,
      TrainConfig.DEMONSTRATIONS);

  /** Forgets what was measured (for tests that change what an environment says). */
  static void forget() {
    MEMO.clear();
  }

  /** The estimators, for messages. */
  static String estimators() {
    return String.join(", ", AdvantageEstimators.catalog().names());
  }
}
