package dev.ludus.agents.djl;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.ParameterList;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.List;

/**
 * A {@link LanguageModel} as a {@link TrainablePolicy} whose distribution excludes some ids (those the agent's
 * sampler never emits), so that a learner scores exactly what the sampler drew from. Thread-safety as the model's.
 * Closes the model only if it owns it (a frozen copy does; the agent's own view does not).
 */
final class RestrictedPolicy implements TrainablePolicy {
  private final LanguageModel model;
  private final int[] excluded;
  private final boolean owns;

  RestrictedPolicy(LanguageModel model, int[] excluded, boolean owns) {
    this.model = model;
    this.excluded = excluded.clone();
    this.owns = owns;
  }

  @Override
  public LanguageModel.Spec spec() {
    return model.spec();
  }

  @Override
  public Device device() {
    return model.device();
  }

  @Override
  public long version() {
    return model.version();
  }

  @Override
  public ParameterList parameters() {
    return model.parameters();
  }

  @Override
  public NDManager manager() {
    return model.manager();
  }

  @Override
  public NDArray logits(ParameterStore ps, NDArray tokenIds, NDArray attentionMask, boolean training) {
    return restrict(model.logits(ps, tokenIds, attentionMask, training));
  }

  @Override
  public LanguageModel.Heads logitsAndValues(ParameterStore ps, NDArray tokenIds, NDArray attentionMask,
      boolean training) {
    LanguageModel.Heads heads = model.logitsAndValues(ps, tokenIds, attentionMask, training);
    return new LanguageModel.Heads(restrict(heads.logits()), heads.values());
  }

  @Override
  public LanguageModel.Heads logitsAt(ParameterStore ps, NDArray tokenIds, NDArray attentionMask, NDArray cells,
      boolean withValues, boolean training) {
    LanguageModel.Heads heads = model.logitsAt(ps, tokenIds, attentionMask, cells, withValues, training);
    return new LanguageModel.Heads(restrict(heads.logits()), heads.values());
  }

  private NDArray restrict(NDArray logits) {
    return excluded.length == 0 ? logits
        : logits.add(BatchScoring.exclusion(logits.getManager(), model.spec().vocabSize(), excluded));
  }

  @Override
  public float[][] logProbs(List<int[]> prompts, List<int[]> outputs, double[] temperatures) {
    return BatchScoring.logProbs(model, prompts, outputs, temperatures, excluded);
  }

  @Override
  public float[] stateValues(List<int[]> prompts) {
    return model.stateValues(prompts);
  }

  @Override
  public long update(Runnable change) {
    return model.update(change);
  }

  @Override
  public void save(Path directory) {
    model.save(directory);
  }

  @Override
  public TrainablePolicy frozenCopy() {
    return new RestrictedPolicy(model.frozenCopy(), excluded, true);
  }

  @Override
  public TrainablePolicy loadFrozen(Path directory) {
    return new RestrictedPolicy(model.loadFrozen(directory), excluded, true);
  }

  /** The excluded ids, for tests. */
  int[] excluded() {
    return excluded.clone();
  }

  @Override
  public void close() {
    if (owns) {
      model.close();
    }
  }

  @Override
  public String toString() {
    return "policy " + model + " without " + excluded.length + " special ids";
  }
}
