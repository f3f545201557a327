package dev.ludus.runner.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.ParameterList;
import ai.djl.training.ParameterStore;
import dev.ludus.agents.djl.LanguageModel;
import dev.ludus.agents.djl.TrainablePolicy;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The frozen reference's log-probabilities are computed once per row and iteration: the next epoch's mini-batches
 * reread the same rows (PPO's sample reuse), and the reference never changes, so a second forward pass over them
 * was wasted work (issue 19, point 6). The updates are the same as with the reference read afresh.
 */
class ReferenceMemoTest {
  @Test
  void aSecondEpochOverTheSameRowsReadsTheReferenceOnceAndUpdatesAlike() {
    try (LanguageModel a = LearnFixtures.model(61);
        LanguageModel b = LearnFixtures.model(61);
        Counting refA = new Counting(a.frozenCopy());
        Counting refB = new Counting(b.frozenCopy());
        PolicyLearner memo = new PolicyLearner(a, refA, LearnerConfig.defaults().withKl(0.1, LearnerConfig.KlEstimator.K3));
        PolicyLearner afresh = new PolicyLearner(b, refB, LearnerConfig.defaults().withKl(0.1, LearnerConfig.KlEstimator.K3))) {
      List<PackedSample> rows = PackedSample.pack(LearnFixtures.freshBatch(a, 62, 12));
      List<PackedSample> firstHalf = rows.subList(0, rows.size() / 2);
      List<PackedSample> secondHalf = rows.subList(rows.size() / 2, rows.size());
      // two epochs of two mini-batches
      UpdateStats[] viaMemo = new UpdateStats[4];
      UpdateStats[] viaAfresh = new UpdateStats[4];
      for (int epoch = 0; epoch < 2; epoch++) {
        viaMemo[2 * epoch] = memo.updatePacked(firstHalf);
        viaMemo[2 * epoch + 1] = memo.updatePacked(secondHalf);
        viaAfresh[2 * epoch] = afresh.updatePacked(firstHalf);
        afresh.endIteration(List.of()); // forgets the reference's rows, as a new iteration does
        viaAfresh[2 * epoch + 1] = afresh.updatePacked(secondHalf);
        afresh.endIteration(List.of());
      }
      assertEquals(rows.size(), refA.rows, "the memo reads each row of the reference once");
      assertEquals(2 * rows.size(), refB.rows, "read afresh, each epoch reads them all again");
      assertEquals(rows.size(), memo.referenceMemoRows());
      for (int i = 0; i < 4; i++) {
        assertEquals(viaAfresh[i].kl(), viaMemo[i].kl(), 1e-6, "update " + i + ": the same KL");
        assertEquals(viaAfresh[i].loss(), viaMemo[i].loss(), 1e-6, "update " + i + ": the same loss");
      }
      float[][] pa = LearnFixtures.parameters(a);
      float[][] pb = LearnFixtures.parameters(b);
      for (int i = 0; i < pa.length; i++) {
        assertArrayEquals(pb[i], pa[i], 1e-5f, "parameter " + i);
      }
      memo.endIteration(List.of());
      assertEquals(0, memo.referenceMemoRows(), "a new iteration's rows are new");
    }
  }

  /** A reference that counts the rows it was asked for. */
  private static final class Counting implements TrainablePolicy {
    private final TrainablePolicy inner;
    int rows;

    Counting(TrainablePolicy inner) {
      this.inner = inner;
    }

    @Override
    public float[][] logProbs(List<int[]> prompts, List<int[]> outputs, double[] temperatures) {
      rows += prompts.size();
      return inner.logProbs(prompts, outputs, temperatures);
    }

    @Override
    public LanguageModel.Spec spec() {
      return inner.spec();
    }

    @Override
    public Device device() {
      return inner.device();
    }

    @Override
    public long version() {
      return inner.version();
    }

    @Override
    public ParameterList parameters() {
      return inner.parameters();
    }

    @Override
    public NDManager manager() {
      return inner.manager();
    }

    @Override
    public NDArray logits(ParameterStore ps, NDArray tokenIds, NDArray attentionMask, boolean training) {
      return inner.logits(ps, tokenIds, attentionMask, training);
    }

    @Override
    public LanguageModel.Heads logitsAndValues(ParameterStore ps, NDArray tokenIds, NDArray attentionMask,
        boolean training) {
      return inner.logitsAndValues(ps, tokenIds, attentionMask, training);
    }

    @Override
    public LanguageModel.Heads logitsAt(ParameterStore ps, NDArray tokenIds, NDArray attentionMask, NDArray cells,
        boolean withValues, boolean training) {
      return inner.logitsAt(ps, tokenIds, attentionMask, cells, withValues, training);
    }

    @Override
    public float[] stateValues(List<int[]> prompts) {
      return inner.stateValues(prompts);
    }

    @Override
    public long update(Runnable change) {
      return inner.update(change);
    }

    @Override
    public void save(Path directory) {
      inner.save(directory);
    }

    @Override
    public TrainablePolicy frozenCopy() {
      return inner.frozenCopy();
    }

    @Override
    public TrainablePolicy loadFrozen(Path directory) {
      return inner.loadFrozen(directory);
    }

    @Override
    public void close() {
      inner.close();
    }
  }
}
