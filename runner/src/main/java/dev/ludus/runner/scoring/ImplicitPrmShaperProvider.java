package dev.ludus.runner.scoring;

import dev.ludus.api.ConfigException;
import dev.ludus.api.PluginContext;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.ShaperProvider;
import dev.ludus.api.batch.Batcher;
import java.nio.file.Path;

/**
 * {@code implicit-prm} (PRIME, catalog C1): dense turn rewards from an implicit process reward model that learns
 * online from outcome labels.
 *
 * <p>Formula: {@code r_t = β·Σ_{i∈turn t} [log π_φ(y_i | y_<i) − log π_ref(y_i | y_<i)]} over the tokens of the
 * agent's turn t, where {@code π_φ} (the PRM) and {@code π_ref} (frozen) both start as the djl-lm checkpoint
 * {@code model}; after scoring a batch, {@code π_φ} takes one step on
 * {@code BCE(σ(β·Σ_t Σ_i [log π_φ − log π_ref]), acc)}, {@code acc} = 1 when the episode's environment return is above
 * {@code successAbove}; then each turn reward is divided by the largest {@code |Σ_{k≥t} r_k|} of its group. Paper:
 * Cui et al. 2025, "Process Reinforcement through Implicit Rewards" (PRIME); β = 0.05 is the recipe's default.
 * The normalisation runs over turns within a group rather than over tokens of the whole batch (see
 * {@code ImplicitPrm}); PRIME's group-accuracy filter belongs to the learner and is not applied here.
 *
 * <p>Law (unit-tested): before normalisation an episode's turn rewards sum to {@code β·log(π_φ(y)/π_ref(y))}, y its
 * agent tokens; the update raises that quantity on successes and lowers it on failures.
 *
 * <p>Design: the PRM is loaded once per run and every group in flight goes through one {@link Batcher} on the
 * runtime's worker threads (a batch holds up to {@code maxBatch} groups: one forward pass of each model, one update);
 * batches run one at a time, so the PRM never changes during a forward pass of another batch.
 */
public final class ImplicitPrmShaperProvider implements ShaperProvider<ImplicitPrmShaperProvider.Config> {

  /**
   * @param model a djl-lm checkpoint directory (the policy's starting checkpoint); required
   * @param beta β, above 0; default 0.05
   * @param learningRate the PRM's AdamW step, in (0, 1); default 1e-5
   * @param update whether the PRM learns online (PRIME); default true
   * @param successAbove an episode is a success when its environment return is above this; default 0
   * @param normalize PRIME's division by the largest |reverse cumulative sum|; default true
   * @param device the DJL device; default cpu
   * @param maxBatch the most groups per batch, 1 to 1024; default 4
   */
  public record Config(String model, Double beta, Double learningRate, Boolean update, Double successAbove,
      Boolean normalize, String device, int maxBatch) {
    public Config {
      beta = beta == null ? 0.05 : beta;
      if (!(beta > 0 && Double.isFinite(beta))) {
        throw new ConfigException("implicit-prm: beta must be above 0, was " + beta);
      }
      learningRate = learningRate == null ? 1e-5 : learningRate;
      if (!(learningRate > 0 && learningRate < 1)) {
        throw new ConfigException("implicit-prm: learningRate must be in (0, 1), was " + learningRate);
      }
      update = update == null || update;
      successAbove = successAbove == null ? 0.0 : successAbove;
      normalize = normalize == null || normalize;
      device = device == null ? "cpu" : device;
      maxBatch = maxBatch == 0 ? 4 : maxBatch;
      if (maxBatch < 1 || maxBatch > 1024) {
        throw new ConfigException("implicit-prm: maxBatch (groups per batch) must be in [1, 1024], was " + maxBatch);
      }
    }
  }

  @Override
  public String name() {
    return "implicit-prm";
  }

  @Override
  public String description() {
    return "per turn, beta times the log-ratio of an online-trained PRM to the reference over the turn's tokens "
        + "(PRIME)";
  }

  @Override
  public String formula() {
    return "r_t = beta * sum_{i in turn t} [log pi_phi(y_i) - log pi_ref(y_i)]; pi_phi updated on BCE(sigma(beta * "
        + "sum_t sum_i log pi_phi/pi_ref), acc); r_t / max |reverse cumsum| over the group";
  }

  @Override
  public String reference() {
    return "Cui et al. 2025, \"Process Reinforcement through Implicit Rewards\" (PRIME)";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return new Config(null, 0.05, 1e-5, true, 0.0, true, "cpu", 4);
  }

  @Override
  public RewardShaper create(Config config, PluginContext context) {
    Path dir = SpanScorer.checkpoint(name(), config.model());
    ImplicitPrm.Options o = new ImplicitPrm.Options(config.beta(), config.learningRate(), config.update(),
        config.successAbove(), config.normalize());
    // one PRM per (checkpoint, device, options): two shapers configured alike share it and its updates
    String key = "implicit-prm/" + dir.toAbsolutePath().normalize() + "@" + config.device() + "/" + o;
    ImplicitPrm prm = context.shared(key, ImplicitPrm.class, () -> open(dir, config.device(), o));
    return OnlineGroupScorers.turnShaper(context, key, "implicit-prm", config.maxBatch(),
        groups -> prm.score(groups).rewards(), "implicit");
  }

  static ImplicitPrm open(Path dir, String device, ImplicitPrm.Options o) {
    return OnlineGroupScorers.openWithReference(dir, device, (phi, ref, tok) -> new ImplicitPrm(phi, ref, tok, o));
  }
}
