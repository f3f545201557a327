package dev.ludus.runner.scoring;

import dev.ludus.api.ConfigException;
import dev.ludus.api.PluginContext;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.ShaperProvider;
import dev.ludus.api.batch.Batcher;
import java.nio.file.Path;

/**
 * {@code oprl-step-reward} (OPRL, catalog A6 with its trainer C2): implicit step rewards from a step reward model
 * trained online by trajectory DPO.
 *
 * <p>Formula: {@code r_t = β·[log π_φ(a_t | x, o_{1:t}) − log π_old(a_t | x, o_{1:t})]} over the tokens of the agent's
 * action at turn t; after each batch {@code π_φ} takes one step on
 * {@code L = −log σ(β[log π_φ(τ⁺) − log π_old(τ⁺)] − β[log π_φ(τ⁻) − log π_old(τ⁻)])} over the pairs of each group
 * (higher environment return preferred). Paper: "Online Process Reward Learning for Agentic Reinforcement Learning"
 * (OPRL; the catalog's formulas are from summaries). {@code π_φ} and {@code π_old} both start as the checkpoint
 * {@code model}; {@code π_old} is not refreshed with the policy (see {@code OprlStepReward}).
 *
 * <p>Laws (unit-tested): the DPO loss is {@code log 2} while {@code π_φ = π_old}, and then every {@code r_t} is 0;
 * an episode's rewards sum to {@code β·log(π_φ(τ)/π_old(τ))}; a step raises the chosen trajectories' margin.
 *
 * <p>Design: as {@code implicit-prm}'s: one model pair per run, groups batched through one {@link Batcher} on worker
 * threads, batches one at a time (scored, then the DPO step).
 */
public final class OprlStepRewardShaperProvider implements ShaperProvider<OprlStepRewardShaperProvider.Config> {

  /**
   * @param model a djl-lm checkpoint directory (the policy's starting checkpoint); required
   * @param beta β, above 0; default 0.05
   * @param learningRate the step reward model's AdamW step, in (0, 1); default 1e-5
   * @param update whether the step reward model learns online; default true
   * @param device the DJL device; default cpu
   * @param maxBatch the most groups per batch, 1 to 1024; default 4
   */
  public record Config(String model, Double beta, Double learningRate, Boolean update, String device, int maxBatch) {
    public Config {
      beta = beta == null ? 0.05 : beta;
      if (!(beta > 0 && Double.isFinite(beta))) {
        throw new ConfigException("oprl-step-reward: beta must be above 0, was " + beta);
      }
      learningRate = learningRate == null ? 1e-5 : learningRate;
      if (!(learningRate > 0 && learningRate < 1)) {
        throw new ConfigException("oprl-step-reward: learningRate must be in (0, 1), was " + learningRate);
      }
      update = update == null || update;
      device = device == null ? "cpu" : device;
      maxBatch = maxBatch == 0 ? 4 : maxBatch;
      if (maxBatch < 1 || maxBatch > 1024) {
        throw new ConfigException("oprl-step-reward: maxBatch (groups per batch) must be in [1, 1024], was "
            + maxBatch);
      }
    }
  }

  @Override
  public String name() {
    return "oprl-step-reward";
  }

  @Override
  public String description() {
    return "per turn, beta times the log-ratio of a step reward model (trained online by trajectory DPO) to the "
        + "old policy over the turn's action tokens (OPRL)";
  }

  @Override
  public String formula() {
    return "r_t = beta * [log pi_phi(a_t | x, o_1..t) - log pi_old(a_t | x, o_1..t)]; pi_phi trained on -log sigma("
        + "beta * [log pi_phi/pi_old (tau+) - log pi_phi/pi_old (tau-)]) over each group's pairs";
  }

  @Override
  public String reference() {
    return "\"Online Process Reward Learning for Agentic Reinforcement Learning\" (OPRL), 2025";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return new Config(null, 0.05, 1e-5, true, "cpu", 4);
  }

  @Override
  public RewardShaper create(Config config, PluginContext context) {
    Path dir = SpanScorer.checkpoint(name(), config.model());
    String key = "oprl-step-reward/" + dir.toAbsolutePath().normalize() + "@" + config.device() + "/"
        + config.beta() + "/" + config.learningRate() + "/" + config.update();
    OprlStepReward srm = context.shared(key, OprlStepReward.class, () -> open(dir, config));
    return OnlineGroupScorers.turnShaper(context, key, "oprl-step-reward", config.maxBatch(),
        groups -> srm.score(groups).rewards(), "step");
  }

  static OprlStepReward open(Path dir, Config config) {
    return OnlineGroupScorers.openWithReference(dir, config.device(), (phi, ref, tok) -> new OprlStepReward(phi, ref,
        tok, config.beta(), config.learningRate(), config.update()));
  }
}
