package dev.ludus.runner.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.agents.djl.DjlLmAgent;
import dev.ludus.agents.djl.DjlLmAgentProvider;
import dev.ludus.api.Agent;
import dev.ludus.api.AgentProvider;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.ConfigException;
import dev.ludus.api.EnvironmentProvider;
import dev.ludus.api.PluginContext;
import dev.ludus.api.Registry;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.config.PluginConfigs;
import dev.ludus.runner.learn.LearnerCheckpoint;
import dev.ludus.runner.learn.advantage.AdvantageEstimators;
import dev.ludus.runner.config.ShapingFactory;
import dev.ludus.runner.config.ShapingSpec;
import dev.ludus.shaping.ShapingPipeline;
import java.nio.file.Path;

/**
 * A training configuration bound to the registry's plugins: the environment and shapers made with the run's plugin
 * context, the policy's provider and configuration, and the resolved tree written as {@code config.yaml}. Made by
 * {@link #of}, which checks the whole configuration so that bad input fails before a run directory exists.
 *
 * @param env the environment, probed
 * @param modelProvider the policy's backend: the registry's {@value #POLICY} provider
 * @param modelConfig the policy's configuration (device, value head and checkpoint applied)
 * @param shapingSpec the shaping as configured
 * @param pipeline the shaping pipeline built from it
 * @param resolvedTree the whole configuration with every default filled in
 */
record Resolved(BoundEnvironment env, DjlLmAgentProvider modelProvider, DjlLmAgentProvider.Config modelConfig,
    ShapingSpec shapingSpec, ShapingPipeline pipeline, ObjectNode resolvedTree) {

  /** The agent backend that {@code ludus train} trains. */
  static final String POLICY = "djl-lm";

  /**
   * Binds {@code config} to {@code registry}'s plugins.
   *
   * @param device overrides the model's device when not null
   * @param checkpoint the checkpoint a resume loads the policy from, or null
   */
  static Resolved of(Registry registry, TrainConfig config, String device, Path checkpoint, PluginContext context) {
    EnvironmentProvider<?> envProvider = registry.environments().get(config.env());
    BoundEnvironment env = BoundEnvironment.ofUnchecked(envProvider, PluginConfigs.bind(envProvider, config.envConfig()))
        .withContext(context).probe();
    env.heldOut().ifPresent(BoundEnvironment::probe); // its held-out tasks too (a dev split with no question fails)
    DjlLmAgentProvider modelProvider = policyProvider(registry);
    ObjectNode modelTree = ((ObjectNode) config.model()).deepCopy();
    if (device != null) {
      modelTree.put("device", device);
    }
    if (AdvantageEstimators.of(config.estimator(), config.advantageConfig()).needsValues()) {
      modelTree.put("valueHead", true); // the critic: a value head on the policy's trunk
    }
    DjlLmAgentProvider.Config modelConfig = PluginConfigs.bind(modelProvider, modelTree);
    if (checkpoint != null) {
      modelConfig = modelConfig.withCheckpoint(checkpoint.resolve(LearnerCheckpoint.POLICY).toString());
    }
    ShapingSpec shapingSpec = config.shapingSpec();
    ShapingPipeline pipeline = ShapingFactory.build(registry, shapingSpec, env);
    if (config.warmStartEpisodes() > 0 && env.oracle().isEmpty()) {
      throw new ConfigException("train: warmStartEpisodes is " + config.warmStartEpisodes() + " but environment '"
          + config.env() + "' has no oracle to imitate; set warmStartEpisodes to 0");
    }
    boolean anyState = env.oracle().isPresent() && env.oracleActsFromAnyState();
    if (config.learnerConfig().ptxLabels() > 0 && !anyState) {
      throw needsOracleFromAnyState(config, "learner.ptxLabels", config.learnerConfig().ptxLabels(),
          "label the policy's own states");
    }
    if (config.warmStartNoise() > 0 && !anyState) {
      throw needsOracleFromAnyState(config, "warmStartNoise", config.warmStartNoise(),
          "demonstrate the states a random move leads to");
    }
    ObjectNode tree = Json.YAML.valueToTree(config);
    tree.set("envConfig", Json.YAML.valueToTree(env.config()));
    tree.set("model", Json.YAML.valueToTree(modelConfig));
    tree.set("shaping", Json.YAML.valueToTree(shapingSpec));
    tree.set("learner", Json.YAML.valueToTree(config.learnerConfig()));
    Object estimatorSettings = config.advantageConfig();
    boolean noFields = estimatorSettings.getClass().isRecord()
        && estimatorSettings.getClass().getRecordComponents().length == 0;
    tree.set("estimatorConfig", noFields ? Json.YAML.createObjectNode() : Json.YAML.valueToTree(estimatorSettings));
    if (config.dynamicSampling().enabled() && AdvantageEstimators.of(config.estimator(), estimatorSettings)
        .needsValues()) {
      throw new ConfigException("train: dynamicSampling is for estimators without a critic; '" + config.estimator()
          + "' trains one, so every group has a signal (its value targets); turn dynamicSampling off");
    }
    return new Resolved(env, modelProvider, modelConfig, shapingSpec, pipeline, tree);
  }

  /** The registry's {@value #POLICY} provider, the one backend whose agents expose a trainable policy. */
  static DjlLmAgentProvider policyProvider(Registry registry) {
    AgentProvider<?> provider = registry.agents().get(POLICY);
    if (provider instanceof DjlLmAgentProvider djl) {
      return djl;
    }
    throw new ConfigException("train: the " + POLICY + " agent backend is not registered (found "
        + provider.getClass().getName() + " under that name)");
  }

  /** A new policy owning its model and tokenizer, made from {@code prepared} (this configuration, tokenizer ready). */
  DjlLmAgent createPolicy(DjlLmAgentProvider.Config prepared, PluginContext context) {
    Agent agent = modelProvider.create(prepared, env, context);
    if (agent instanceof DjlLmAgent policy) {
      return policy;
    }
    agent.close();
    throw new IllegalStateException(POLICY + " made a " + agent.getClass().getName() + ", not a DjlLmAgent");
  }

  /** The refusal of a {@code field} set to {@code value} that needs an oracle acting from any state to {@code what}. */
  private static ConfigException needsOracleFromAnyState(TrainConfig config, String field, Object value, String what) {
    return new ConfigException("train: " + field + " is " + value + " but environment '" + config.env()
        + "' does not say its oracle can act from any state (EnvironmentProvider.oracleActsFromAnyState), so it cannot "
        + what + "; set " + field + " to 0");
  }
}
