package dev.ludus.runner.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Plugin;
import dev.ludus.api.Registry;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.config.LlmSection;
import dev.ludus.runner.config.PluginConfigs;
import dev.ludus.runner.learn.LearnerConfig;
import dev.ludus.runner.learn.advantage.AdvantageEstimators;
import dev.ludus.runner.learn.advantage.EstimatorProvider;
import dev.ludus.runner.config.ShapingSpec;

/**
 * What {@code ludus train} runs: the environment, the {@code djl-lm} policy, the shaping, the advantage
 * estimator, the learner's coefficients and the loop's counts. Read from YAML with {@link #read}, starting
 * from {@link #embeddedDefault()} so that a file names only what it changes; when a file picks another
 * environment, the environment, model and shaping sections start from their plugins' own defaults instead of
 * the embedded guess-number ones. Immutable; the compact constructor rejects bad values with a
 * {@link ConfigException} naming the field.
 *
 * @param env the registered environment
 * @param envConfig the environment's configuration (fields left out keep the environment's defaults)
 * @param model the {@code djl-lm} configuration of the policy (architecture, vocabulary, sampling for training)
 * @param shaping the shaping spec (see {@link ShapingSpec}); null for the outcome only
 * @param estimator a registered advantage estimator ({@link EstimatorProvider}; built in: {@code grpo},
 *     {@code rloo}, {@code reinforce-plus-plus}, {@code ppo-gae}, {@code igpo}; {@code ludus list estimators});
 *     {@code ppo-gae} trains a critic too: the policy gets a value head (the model's {@code valueHead}) and the
 *     learner's value loss ({@code valueCoefficient}, {@code valueClip}) trains it
 * @param estimatorConfig the estimator's settings that differ from its defaults, bound to the provider's config
 *     record ({@code ludus list estimators --json} lists the fields; see {@link #advantageConfig()})
 * @param learner the {@link LearnerConfig} fields that differ from its defaults
 * @param iterations RL updates (one per iteration of rollouts), at least 1
 * @param tasksPerIteration tasks per iteration, at least 1
 * @param groupSize episodes per task (G), 1 to 1024; the group estimators ({@code grpo}, {@code rloo},
 *     {@code igpo}: {@link EstimatorProvider#needsGroups()}) need at least 2
 * @param dynamicSampling DAPO's dynamic sampling: drop the groups that carry no signal and play more until the
 *     iteration has {@code tasksPerIteration} that do (see {@link DynamicSampling}); default off
 * @param epochs passes over each iteration's samples (PPO's sample reuse; the clip keeps the later passes
 *     close to the behaviour policy), 1 to 100
 * @param miniBatches updates per pass when every turn carries a signal, 1 to 1024: the samples are shuffled and
 *     split into parts of {@code 1/miniBatches} of the iteration's turns; turns skipped for a zero advantage count
 *     in that size, so an iteration with little signal takes fewer updates, not more of fewer samples each
 * @param maxStaleness the most policy versions a sample may lag the policy it trains, when its iteration's
 *     updates begin; staler ones are dropped and counted. 0 is synchronous (rollouts wait for the updates);
 *     above 0 the next iteration's rollouts run while the learner updates (pipelined). Each update is one
 *     version, so with {@code epochs × miniBatches} updates per iteration a useful pipelined k is at least that
 * @param warmStartEpisodes oracle episodes whose turns become demonstrations for an imitation warm start;
 *     0 for none
 * @param warmStartSteps the most imitation steps on those demonstrations (the warm start stops earlier once
 *     they are fitted: {@code warmStartAccuracy}); per round when the warm start grows ({@code warmStartMaxEpisodes})
 * @param warmStartAccuracy the warm start stops at the first step whose token accuracy on the demonstrations
 *     (the share of target tokens that are the policy's most likely token) is at least this, in [0, 1]; 0 runs
 *     exactly {@code warmStartSteps} steps
 * @param warmStartLoss with {@code warmStartAccuracy} above 0, the warm start also waits until the mean negative
 *     log-likelihood of the demonstrated tokens is at most this, in nats (0: accuracy alone decides). Accuracy says
 *     the demonstrated token is the most likely one, not that it is likely: a tiny policy can be "fitted" by
 *     accuracy while its distribution is nearly flat, and then every sampled episode is noise
 * @param warmStartTarget what the policy imitates of each oracle message: {@code action} (the default), the action
 *     part ({@code ActionText.extract}: the content of an {@code <answer>} or {@code <action>} tag, else the whole
 *     text), so that the policy learns to write the action alone; or {@code message}, the whole message, for an
 *     environment that does not read a bare action (the recipe probes which one the environment accepts)
 * @param evalEpisodes held-out episodes of each evaluation (before, after the warm start, after training)
 * @param evalTemperature the sampling temperature of evaluations; 0 is greedy
 * @param checkpointEvery write a checkpoint every this many iterations (and at the end); 0 only at the end
 * @param concurrency episodes in flight at once
 * @param seed the run seed (tasks of iteration {@code i} come from it; evaluations use other seeds)
 * @param llm the run's chat endpoints by name ({@link LlmSection}: {@code judge: {baseUrl: ..., model: ...}}), which
 *     the environment's simulated users and the shapers reach through the plugin context; null or empty for none
 * @param algorithm how the policy learns from its scored episodes: {@code ppo} (the default: PPO-clip on the
 *     advantages of {@link #estimator()}), {@code dpo} or {@code ipo} (preference pairs mined within each group, the
 *     best episode against the worst, ties skipped: {@link dev.ludus.runner.learn.PreferenceLoss}), or {@code raft}
 *     (rejection-sampling fine-tuning: the best {@code preference.topK} episodes of each group imitated on their
 *     agent tokens at the imitation learning rate); see {@link Algorithm}
 * @param preference the settings of the preference algorithms ({@link Preference})
 * @param checkpointEveryMinutes also write a checkpoint at the end of an iteration (and after the warm start) once
 *     this many minutes have passed since the last one, so a kill loses at most about this much work plus one
 *     iteration; 0 checkpoints by count only (default 5)
 * @param warmStartMaxEpisodes the most oracle episodes the warm start grows to: once its {@code warmStartEpisodes}
 *     are fitted it plays as many fresh ones again (up to this) and adds them, fitting again, unless the fitted
 *     policy already predicts them ({@code warmStartAccuracy}); 0 (the default) or at most {@code warmStartEpisodes}
 *     never adds any (see {@code WarmStarter})
 * @param validateEvery model selection on a validation split: the greedy policy plays {@code evalEpisodes}
 *     validation episodes (seeds apart from the held-out evaluation's and the training's) before RL (after the warm
 *     start), every this many iterations and after the last, and the run ends with the weights that did best there (ties to
 *     the earlier), not necessarily the last; 0 (the default) keeps the last weights (see {@code ValidationSelection})
 * @param selfPlay who plays the other seats of a multi-agent environment ({@link SelfPlay}): {@code frozen-partner}
 *     (a frozen copy of the policy as RL starts; Lewis et al. 2017) or {@code shared} (the learning policy plays every
 *     seat); null for a single-agent environment, where it means nothing
 * @param learningSeat with {@code frozen-partner}, the one seat the policy learns in; null (the default) alternates
 *     the learning seat from group to group (see {@code FrozenPartner})
 * @param stopAtPerfectValidation with model selection ({@code validateEvery > 0}), whether RL stops at the first
 *     perfect validation (true in the recipe): a tie keeps the earlier weights, so no later weights could be kept and
 *     the remaining iterations would change nothing the run ends with; false plays every iteration anyway (to watch RL
 *     on a task the warm start already solves, as the main job does)
 * @param warmStartBatch demonstrations per warm-start step: each step imitates a seeded draw of this many, every
 *     demonstration once per epoch, and the stop test is measured on all of them once per epoch; {@code warmStartSteps}
 *     counts these steps. 0 (the default), or more than half the demonstrations' count, steps on all of them every time
 * @param warmStartNoise DART's noise on the warm start's oracle episodes (Laskey et al. 2017): each turn, with this
 *     probability (seeded by the episode's seed and the turn), the environment's random agent's action is played
 *     instead of the oracle's, while every turn's demonstration stays the oracle's action for the state reached
 *     ({@link TeacherAgent}); only where the oracle acts from any state. 0 (the default) plays the oracle alone
 * @param warmStartSchedule the warm start's learning rate over a fit's {@code warmStartSteps}: {@code constant} (the
 *     default: {@code learner.imitationLearningRate} every step) or {@code cosine} (a linear warm-up over the first
 *     5% of the steps, then a cosine decay to 0.1 of the rate at the last; see {@code WarmStarter.Rule#rate})
 * @param warmStartDraws what a warm-start draw ({@code warmStartBatch}) is made of: {@code demonstrations} (the
 *     default: any of them) or {@code episodes} (whole demonstrated conversations, as many as make about
 *     {@code warmStartBatch} demonstrations on average, each a packed row of its own); see {@code WarmStarter.Draws}
 */
public record TrainConfig(
    String env,
    JsonNode envConfig,
    JsonNode model,
    JsonNode shaping,
    String estimator,
    JsonNode estimatorConfig,
    JsonNode learner,
    int iterations,
    int tasksPerIteration,
    int groupSize,
    DynamicSampling dynamicSampling,
    int epochs,
    int miniBatches,
    int maxStaleness,
    int warmStartEpisodes,
    int warmStartSteps,
    double warmStartAccuracy,
    double warmStartLoss,
    String warmStartTarget,
    int evalEpisodes,
    double evalTemperature,
    int checkpointEvery,
    int concurrency,
    long seed,
    JsonNode llm,
    Algorithm algorithm,
    Preference preference,
    double checkpointEveryMinutes,
    int warmStartMaxEpisodes,
    int validateEvery,
    SelfPlay selfPlay,
    String learningSeat,
    boolean stopAtPerfectValidation,
    int warmStartBatch,
    double warmStartNoise,
    String warmStartSchedule,
    String warmStartDraws) {

  /** {@link #checkpointEveryMinutes()} when a configuration does not say. */
  public static final double DEFAULT_CHECKPOINT_MINUTES = 5;

  /** How the policy learns from scored episodes (see {@link TrainConfig#algorithm()}). */
  public enum Algorithm {
    /** PPO-clip on the estimator's advantages: the default. */
    @com.fasterxml.jackson.annotation.JsonProperty("ppo") PPO,
    /** Direct Preference Optimization on pairs mined within groups (Rafailov et al. 2023). */
    @com.fasterxml.jackson.annotation.JsonProperty("dpo") DPO,
    /** Identity Preference Optimization, DPO's squared-loss variant (Azar et al. 2023). */
    @com.fasterxml.jackson.annotation.JsonProperty("ipo") IPO,
    /** Rejection-sampling fine-tuning on each group's best episodes (Dong et al. 2023, "RAFT"). */
    @com.fasterxml.jackson.annotation.JsonProperty("raft") RAFT;

    /** Whether it measures the policy against a frozen reference (DPO and IPO). */
    public boolean needsReference() {
      return this == DPO || this == IPO;
    }
  }

  /**
   * The settings of the preference algorithms.
   *
   * @param beta DPO's and IPO's β, the strength of the implicit KL regularisation toward the reference (the policy
   *     as RL starts), in (0, 100]; default 0.1 (TRL's default)
   * @param topK RAFT's episodes kept per group (the best by shaped return; a group whose episodes all score alike
   *     is skipped, as it ranks nothing), 1 to 1024; default 1
   */
  public record Preference(double beta, int topK) {
    public Preference {
      if (!(beta > 0 && beta <= 100)) {
        throw new ConfigException("preference.beta must be in (0, 100], was " + beta);
      }
      if (topK < 1 || topK > 1024) {
        throw new ConfigException("preference.topK must be in [1, 1024], was " + topK);
      }
    }

    /** β 0.1, top 1. */
    public static Preference defaults() {
      return new Preference(0.1, 1);
    }
  }

  /**
   * DAPO's dynamic sampling (Yu et al. 2025, "DAPO"; verl's {@code algorithm.filter_groups}): a group whose every
   * advantage is 0 (its episodes all scored alike under the estimator's group baseline) gives no policy gradient
   * and only dilutes the batch. With it on, each iteration drops such groups and plays further rounds of
   * {@code tasksPerIteration} new tasks until it has {@code tasksPerIteration} groups with a signal (extra ones
   * are left out, as DAPO does) or has played {@code maxRounds} rounds; it then trains on what it has. Rounds,
   * kept and dropped groups are counted in the metrics ({@code sampling}). Estimators with a critic
   * ({@code ppo-gae}) always have a signal (value targets) and are refused with it.
   *
   * @param enabled whether to filter and refill; default false
   * @param maxRounds the most rounds of rollouts per iteration, the first included, 1 to 100; default 4
   */
  public record DynamicSampling(boolean enabled, int maxRounds) {
    public DynamicSampling {
      if (maxRounds < 1 || maxRounds > 100) {
        throw new ConfigException("dynamicSampling.maxRounds must be in [1, 100], was " + maxRounds);
      }
    }

    /** Off (rounds 4 if turned on). */
    public static DynamicSampling off() {
      return new DynamicSampling(false, 4);
    }
  }

  /**
   * Who plays the other seats of a multi-agent environment while the policy learns in one.
   */
  public enum SelfPlay {
    /**
     * Lewis et al. 2017 ("Deal or No Deal? End-to-End Learning for Negotiation Dialogues"): the other seats are played
     * by a frozen copy of the policy as RL starts (after the warm start), and only the learning seat's episodes are
     * trained; held-out evaluations play against that partner too.
     */
    @com.fasterxml.jackson.annotation.JsonProperty("frozen-partner") FROZEN_PARTNER,
    /** The learning policy plays every seat and every seat's episodes are trained (each seat grouped on its own). */
    @com.fasterxml.jackson.annotation.JsonProperty("shared") SHARED;

    /** The name a configuration gives it. */
    public String label() {
      return this == FROZEN_PARTNER ? "frozen-partner" : "shared";
    }
  }

  /** {@link #warmStartTarget()}: the action part of each oracle message. */
  public static final String ACTION = "action";
  /** {@link #warmStartTarget()}: the whole oracle message. */
  public static final String MESSAGE = "message";
  /** {@link #warmStartSchedule()}: the imitation learning rate at every step. */
  public static final String CONSTANT = "constant";
  /** {@link #warmStartSchedule()}: warm-up, then a cosine decay to a tenth of the rate. */
  public static final String COSINE = "cosine";
  /** {@link #warmStartDraws()}: draws of any demonstrations. */
  public static final String DEMONSTRATIONS = "demonstrations";
  /** {@link #warmStartDraws()}: draws of whole demonstrated episodes. */
  public static final String EPISODES = "episodes";

  public TrainConfig {
    if (env == null || env.isBlank()) {
      throw new ConfigException("env must name a registered environment, was " + env);
    }
    if (estimator == null || !AdvantageEstimators.catalog().contains(estimator)) {
      throw new ConfigException("estimator must be a registered estimator ("
          + String.join(", ", AdvantageEstimators.catalog().names()) + "), was '" + estimator + "'");
    }
    dynamicSampling = dynamicSampling == null ? DynamicSampling.off() : dynamicSampling;
    if (!(warmStartLoss >= 0 && warmStartLoss < Double.POSITIVE_INFINITY)) {
      throw new ConfigException("warmStartLoss must be a finite number at least 0 (0: accuracy alone stops the warm "
          + "start), was " + warmStartLoss);
    }
    warmStartTarget = warmStartTarget == null ? ACTION : warmStartTarget;
    if (!warmStartTarget.equals(ACTION) && !warmStartTarget.equals(MESSAGE)) {
      throw new ConfigException("warmStartTarget must be action (the action part of each oracle message) or message "
          + "(the whole message), was '" + warmStartTarget + "'");
    }
    warmStartSchedule = warmStartSchedule == null ? CONSTANT : warmStartSchedule;
    if (!warmStartSchedule.equals(CONSTANT) && !warmStartSchedule.equals(COSINE)) {
      throw new ConfigException("warmStartSchedule must be constant (the imitation learning rate every step) or "
          + "cosine (a warm-up, then a cosine decay to a tenth of it over warmStartSteps), was '" + warmStartSchedule
          + "'");
    }
    warmStartDraws = warmStartDraws == null ? DEMONSTRATIONS : warmStartDraws;
    if (!warmStartDraws.equals(DEMONSTRATIONS) && !warmStartDraws.equals(EPISODES)) {
      throw new ConfigException("warmStartDraws must be demonstrations (a warm-start draw of any of them) or episodes "
          + "(of whole demonstrated conversations), was '" + warmStartDraws + "'");
    }
    if (!(warmStartAccuracy >= 0 && warmStartAccuracy <= 1)) {
      throw new ConfigException("warmStartAccuracy must be in [0, 1] (0: always warmStartSteps steps), was "
          + warmStartAccuracy);
    }
    atLeast("iterations", iterations, 1);
    atLeast("tasksPerIteration", tasksPerIteration, 1);
    if (groupSize < 1 || groupSize > 1024) {
      throw new ConfigException("groupSize must be in [1, 1024], was " + groupSize);
    }
    if (groupSize < 2 && AdvantageEstimators.catalog().get(estimator).needsGroups()) {
      throw new ConfigException("groupSize must be at least 2 for " + estimator
          + " (it compares the episodes of a group), was " + groupSize);
    }
    if (epochs < 1 || epochs > 100) {
      throw new ConfigException("epochs must be in [1, 100], was " + epochs);
    }
    if (miniBatches < 1 || miniBatches > 1024) {
      throw new ConfigException("miniBatches must be in [1, 1024], was " + miniBatches);
    }
    if (maxStaleness < 0 || maxStaleness > 1_000_000) {
      throw new ConfigException("maxStaleness must be in [0, 1000000] (0: synchronous), was " + maxStaleness);
    }
    atLeast("warmStartEpisodes", warmStartEpisodes, 0);
    atLeast("warmStartSteps", warmStartSteps, 0);
    if (warmStartBatch < 0) {
      throw new ConfigException("warmStartBatch must be at least 0 (demonstrations per warm-start step; 0: all of "
          + "them every step), was " + warmStartBatch);
    }
    if (!(warmStartNoise >= 0 && warmStartNoise < 1)) {
      throw new ConfigException("warmStartNoise must be in [0, 1) (the share of the warm start's oracle turns played "
          + "by the random agent; 0: none), was " + warmStartNoise);
    }
    if (warmStartMaxEpisodes < 0 || warmStartMaxEpisodes > 100_000) {
      throw new ConfigException("warmStartMaxEpisodes must be in [0, 100000] (0: exactly warmStartEpisodes), was "
          + warmStartMaxEpisodes);
    }
    if (validateEvery < 0 || validateEvery > 100_000) {
      throw new ConfigException("validateEvery must be in [0, 100000] (0: keep the last weights), was "
          + validateEvery);
    }
    if (warmStartEpisodes > 0 && warmStartSteps < 1) {
      throw new ConfigException("warmStartSteps must be at least 1 when warmStartEpisodes is "
          + warmStartEpisodes + ", was " + warmStartSteps);
    }
    atLeast("evalEpisodes", evalEpisodes, 1);
    if (!(evalTemperature >= 0 && evalTemperature <= 100)) {
      throw new ConfigException("evalTemperature must be in [0, 100] (0 is greedy), was " + evalTemperature);
    }
    atLeast("checkpointEvery", checkpointEvery, 0);
    if (!(checkpointEveryMinutes >= 0 && checkpointEveryMinutes <= 10_000)) {
      throw new ConfigException("checkpointEveryMinutes must be in [0, 10000] (0: by count only), was "
          + checkpointEveryMinutes);
    }
    if (concurrency < 1 || concurrency > 100_000) {
      throw new ConfigException("concurrency must be in [1, 100000], was " + concurrency);
    }
    envConfig = object("envConfig", envConfig);
    model = object("model", model);
    learner = object("learner", learner);
    estimatorConfig = object("estimatorConfig", estimatorConfig);
    if (shaping != null && shaping.isNull()) {
      shaping = null;
    }
    llm = llm == null || llm.isNull() ? null : llm;
    LlmSection.of(llm); // refuses a malformed section now, naming the endpoint and field
    algorithm = algorithm == null ? Algorithm.PPO : algorithm;
    preference = preference == null ? Preference.defaults() : preference;
    if (learningSeat != null && selfPlay != SelfPlay.FROZEN_PARTNER) {
      throw new ConfigException("learningSeat (" + learningSeat + ") applies to selfPlay: frozen-partner only (the seat "
          + "the policy learns in while a frozen partner plays the others), but selfPlay is "
          + (selfPlay == null ? "not set" : selfPlay.label()) + "; leave learningSeat out or set selfPlay: frozen-partner");
    }
    if (algorithm != Algorithm.PPO && groupSize < 2) {
      throw new ConfigException("groupSize must be at least 2 for algorithm " + algorithm.name().toLowerCase(
          java.util.Locale.ROOT) + " (it ranks the episodes of a group), was " + groupSize);
    }
  }

  /** The run's chat endpoints by name (empty for none). */
  public java.util.Map<String, dev.ludus.api.chat.ChatEndpoint> chatEndpoints() {
    return LlmSection.of(llm);
  }

  /**
   * The embedded default, the main job of {@code ./ludus train}: the {@link Recipe} on guess-number over 1 to 8 with
   * 4 guesses (binary search always wins): a 2-layer, width-64 policy over a byte-level BPE trained on the game's
   * text, generation length and context measured on it, outcome plus info-gain shaping with the IGPO turn-level
   * estimator, an imitation warm start on oracle turns until every demonstrated token is the policy's most likely one
   * (at most 400 steps), then RL at learning rate 1e-4 anchored by a KL term (0.04) to the policy as the warm start
   * left it. Measures the game's text once per JVM (a few dozen oracle and random episodes).
   */
  public static TrainConfig embeddedDefault() {
    return read(null);
  }

  /**
   * The configuration as it was before dynamic sampling and the fitted warm start: dynamic sampling off,
   * exactly {@code warmStartSteps} imitation steps.
   */
  public TrainConfig(String env, JsonNode envConfig, JsonNode model, JsonNode shaping, String estimator,
      JsonNode estimatorConfig, JsonNode learner, int iterations, int tasksPerIteration, int groupSize, int epochs,
      int miniBatches, int maxStaleness, int warmStartEpisodes, int warmStartSteps, int evalEpisodes,
      double evalTemperature, int checkpointEvery, int concurrency, long seed) {
    this(env, envConfig, model, shaping, estimator, estimatorConfig, learner, iterations, tasksPerIteration, groupSize,
        DynamicSampling.off(), epochs, miniBatches, maxStaleness, warmStartEpisodes, warmStartSteps, 0.0, 0.0, ACTION,
        evalEpisodes,
        evalTemperature, checkpointEvery, concurrency, seed, null, null, null, DEFAULT_CHECKPOINT_MINUTES, 0, 0, null,
        null, true, 0, 0.0, CONSTANT, DEMONSTRATIONS);
  }

  /** A configuration checkpointed every {@link #DEFAULT_CHECKPOINT_MINUTES} minutes as well as by count, with PPO. */
  public TrainConfig(String env, JsonNode envConfig, JsonNode model, JsonNode shaping, String estimator,
      JsonNode estimatorConfig, JsonNode learner, int iterations, int tasksPerIteration, int groupSize,
      DynamicSampling dynamicSampling, int epochs, int miniBatches, int maxStaleness, int warmStartEpisodes,
      int warmStartSteps, double warmStartAccuracy, double warmStartLoss, String warmStartTarget, int evalEpisodes,
      double evalTemperature, int checkpointEvery, int concurrency, long seed, JsonNode llm) {
    this(env, envConfig, model, shaping, estimator, estimatorConfig, learner, iterations, tasksPerIteration, groupSize,
        dynamicSampling, epochs, miniBatches, maxStaleness, warmStartEpisodes, warmStartSteps, warmStartAccuracy,
        warmStartLoss, warmStartTarget, evalEpisodes, evalTemperature, checkpointEvery, concurrency, seed, llm, null,
        null, DEFAULT_CHECKPOINT_MINUTES, 0, 0, null, null, true, 0, 0.0, CONSTANT, DEMONSTRATIONS);
  }

  /**
   * A configuration from YAML or JSON text, or the path of such a file, laid field by field over the {@link Recipe}
   * for its environment (over the main job's when it names none, or guess-number's); null or blank gives the
   * embedded default. Environments and shapers come from {@link Registry#load()} (the context class loader's,
   * plugins included under {@code ludus --plugins}). Fails with a {@link ConfigException} naming the field.
   */
  public static TrainConfig read(String source) {
    return read(Registry.load(), source);
  }

  /** {@link #read(String)} against {@code registry}. */
  public static TrainConfig read(Registry registry, String source) {
    return Recipe.resolve(registry, Recipe.Request.ofConfig(source)).config();
  }

  /** This configuration with another shaping (null for the outcome only). */
  public TrainConfig withShaping(JsonNode shaping) {
    return new TrainConfig(env, envConfig, model, shaping, estimator, estimatorConfig, learner, iterations,
        tasksPerIteration, groupSize, dynamicSampling, epochs, miniBatches, maxStaleness, warmStartEpisodes,
        warmStartSteps, warmStartAccuracy, warmStartLoss, warmStartTarget, evalEpisodes, evalTemperature, checkpointEvery, concurrency, seed, llm, algorithm, preference,
        checkpointEveryMinutes, warmStartMaxEpisodes, validateEvery, selfPlay, learningSeat,
        stopAtPerfectValidation, warmStartBatch, warmStartNoise, warmStartSchedule, warmStartDraws);
  }

  /** This configuration with another run seed and number of iterations (null keeps the current one). */
  public TrainConfig with(Integer iterations, Long seed) {
    return new TrainConfig(env, envConfig, model, shaping, estimator, estimatorConfig, learner,
        iterations != null ? iterations : this.iterations, tasksPerIteration, groupSize, dynamicSampling, epochs,
        miniBatches, maxStaleness, warmStartEpisodes, warmStartSteps, warmStartAccuracy, warmStartLoss, warmStartTarget, evalEpisodes,
        evalTemperature, checkpointEvery, concurrency, seed != null ? seed : this.seed, llm, algorithm, preference,
        checkpointEveryMinutes, warmStartMaxEpisodes, validateEvery, selfPlay, learningSeat,
        stopAtPerfectValidation, warmStartBatch, warmStartNoise, warmStartSchedule, warmStartDraws);
  }

  /** This configuration with the model's initialization seed set ({@code model.seed}). */
  public TrainConfig withModelSeed(long modelSeed) {
    ObjectNode m = ((ObjectNode) model).deepCopy().put("seed", modelSeed);
    return new TrainConfig(env, envConfig, m, shaping, estimator, estimatorConfig, learner, iterations,
        tasksPerIteration, groupSize, dynamicSampling, epochs, miniBatches, maxStaleness, warmStartEpisodes,
        warmStartSteps, warmStartAccuracy, warmStartLoss, warmStartTarget, evalEpisodes, evalTemperature, checkpointEvery, concurrency, seed, llm, algorithm, preference,
        checkpointEveryMinutes, warmStartMaxEpisodes, validateEvery, selfPlay, learningSeat,
        stopAtPerfectValidation, warmStartBatch, warmStartNoise, warmStartSchedule, warmStartDraws);
  }

  /** This configuration with {@code evalEpisodes} held-out episodes per evaluation and checkpoints every {@code every}. */
  public TrainConfig withEvaluation(int evalEpisodes, int every) {
    return new TrainConfig(env, envConfig, model, shaping, estimator, estimatorConfig, learner, iterations,
        tasksPerIteration, groupSize, dynamicSampling, epochs, miniBatches, maxStaleness, warmStartEpisodes,
        warmStartSteps, warmStartAccuracy, warmStartLoss, warmStartTarget, evalEpisodes, evalTemperature, every, concurrency, seed, llm, algorithm, preference,
        checkpointEveryMinutes, warmStartMaxEpisodes, validateEvery, selfPlay, learningSeat,
        stopAtPerfectValidation, warmStartBatch, warmStartNoise, warmStartSchedule, warmStartDraws);
  }

  /** The registered provider of {@link #estimator()}. */
  public EstimatorProvider<?> estimatorProvider() {
    return AdvantageEstimators.catalog().get(estimator);
  }

  /** The learner's coefficients: {@link LearnerConfig#defaults()} with {@link #learner()} laid over them. */
  public LearnerConfig learnerConfig() {
    return PluginConfigs.bind(new Plugin<LearnerConfig>() {
      @Override
      public String name() {
        return "train.learner";
      }

      @Override
      public String description() {
        return "the learner's coefficients";
      }

      @Override
      public Class<LearnerConfig> configType() {
        return LearnerConfig.class;
      }

      @Override
      public LearnerConfig defaultConfig() {
        return LearnerConfig.defaults();
      }
    }, learner);
  }

  /**
   * The estimator's settings: its provider's config record ({@link EstimatorProvider#configType()}), its defaults
   * with {@link #estimatorConfig()} laid over them; a field the estimator does not have fails with a
   * {@link ConfigException} naming it and the allowed ones.
   */
  public Object advantageConfig() {
    return bindEstimator(estimatorProvider());
  }

  private <C> C bindEstimator(EstimatorProvider<C> provider) {
    return PluginConfigs.bind(new Plugin<C>() {
      @Override
      public String name() {
        return "train.estimatorConfig (" + estimator + ")";
      }

      @Override
      public String description() {
        return "the advantage estimator's settings";
      }

      @Override
      public Class<C> configType() {
        return provider.configType();
      }

      @Override
      public C defaultConfig() {
        return provider.defaultConfig();
      }
    }, estimatorConfig);
  }

  /** The shaping spec; the outcome only when none is set. */
  public ShapingSpec shapingSpec() {
    if (shaping == null) {
      return ShapingSpec.outcomeOnly();
    }
    try {
      return ShapingSpec.read(Json.YAML.writeValueAsString(shaping));
    } catch (JsonProcessingException e) {
      throw new ConfigException("train: shaping cannot be written back as YAML: " + e.getOriginalMessage());
    }
  }

  private static JsonNode object(String field, JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return Json.YAML.createObjectNode();
    }
    if (!node.isObject()) {
      throw new ConfigException(field + " must be a mapping of fields, was " + node.getNodeType());
    }
    return node;
  }

  private static void atLeast(String field, long value, long min) {
    if (value < min) {
      throw new ConfigException(field + " must be at least " + min + ", was " + value);
    }
  }
}
