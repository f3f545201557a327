package dev.ludus.runner.rm;

import dev.ludus.api.ConfigException;
import dev.ludus.api.Message;
import dev.ludus.runner.learn.RewardModelTrainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * CRM (catalog C9, the seed paper): two Bradley–Terry reward models trained side by side, each on the pairs of a
 * shared mini-batch that the other does not find suspicious, under a curriculum. Paper: Zhang et al. 2025, "Two Minds
 * Better Than One: Collaborative Reward Modeling for LLM Alignment" (arXiv 2505.10597).
 *
 * <p>Formula (the paper's mechanism from its abstract and summaries; the schedule's constants are this
 * implementation's, as in co-teaching): for a batch B, the peer's margin of a pair is
 * {@code m = r_peer(chosen) − r_peer(rejected)}; a model trains, by {@code −log σ(r(chosen) − r(rejected))}, on the
 * {@code ⌈(1 − τ)·|B|⌉} pairs of B with the largest peer margins, and drops the rest (a noisy label is one the peer
 * ranks the other way). The drop rate grows linearly from 0 to {@code τ_max} over the first {@code rampEpochs}
 * epochs, so the models first learn the easy majority. With {@code curriculum} on, each epoch after the first is
 * reviewed as a whole: each model keeps the {@code ⌈(1 − τ)·n⌉} pairs of the epoch its peer ranks highest, and of
 * those, ordered from easy to hard by the two models' mean margin, trains on the easiest share, which grows from a
 * half at the second epoch to all at the last (a pacing curriculum), in random order. An earlier version took each
 * epoch's selection in easy-to-hard order; it ended every epoch on the hardest, noisiest pairs and lost to training
 * without peer review at 40% noise.
 *
 * <p>Law (unit-tested): the kept pairs are exactly the {@code ⌈(1 − τ)·|B|⌉} of largest peer margin; τ is 0 at the
 * start and {@code τ_max} from the end of the ramp; with {@code τ_max = 0} each model's steps are those of plain
 * Bradley–Terry training.
 *
 * <p>Not thread-safe; the caller owns the two models.
 */
public final class CollaborativeRewardModels {
  private CollaborativeRewardModels() {}

  /**
   * How to train.
   *
   * @param epochs passes over the training pairs, at least 1
   * @param batch pairs per shared mini-batch, at least 2
   * @param learningRate AdamW's step of both models
   * @param dropMax τ_max, the share of each batch dropped once the ramp is over, in [0, 0.9]
   * @param rampEpochs epochs over which the drop rate grows from 0 to τ_max, at least 1
   * @param curriculum whether epochs after the first go from easy to hard pairs
   * @param seed the shuffles' seed
   */
  public record Options(int epochs, int batch, double learningRate, double dropMax, double rampEpochs,
      boolean curriculum, long seed) {
    public Options {
      if (epochs < 1) {
        throw new ConfigException("crm: epochs must be at least 1, was " + epochs);
      }
      if (batch < 2) {
        throw new ConfigException("crm: batch must be at least 2, was " + batch);
      }
      if (!(dropMax >= 0 && dropMax <= 0.9)) {
        throw new ConfigException("crm: the drop rate must be in [0, 0.9], was " + dropMax);
      }
      if (!(rampEpochs > 0)) {
        throw new ConfigException("crm: rampEpochs must be above 0, was " + rampEpochs);
      }
    }
  }

  /**
   * What the training did.
   *
   * @param kept pairs trained on, both models together (a paced epoch trains on part of what peer review kept)
   * @param dropped pairs dropped by peer review, both models together
   * @param droppedFlipped of the dropped, those whose label was known to be flipped (0 when nobody said)
   */
  public record Stats(long kept, long dropped, long droppedFlipped) {}

  /** τ after {@code progress} epochs (fractional): {@code τ_max·min(1, progress/rampEpochs)}. */
  public static double dropRate(Options o, double progress) {
    return o.dropMax() * Math.min(1, progress / o.rampEpochs());
  }

  /** The indices of the {@code ⌈(1 − τ)·n⌉} largest margins (at least one), in batch order. */
  public static int[] keep(float[] peerMargins, double tau) {
    int n = peerMargins.length;
    int k = Math.max(1, (int) Math.ceil((1 - tau) * n - 1e-9));
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> peerMargins[i]).reversed());
    int[] out = new int[k];
    for (int i = 0; i < k; i++) {
      out[i] = order[i];
    }
    Arrays.sort(out);
    return out;
  }

  /**
   * Trains {@code a} and {@code b} together on {@code train}.
   *
   * @param flipped which training pairs are known to carry a flipped label (for the statistics only), or null
   */
  public static Stats train(RewardModel a, RewardModel b, List<PreferenceExample> train, boolean[] flipped,
      Options o) {
    Random shuffle = new Random(o.seed());
    long kept = 0;
    long dropped = 0;
    long droppedFlipped = 0;
    try (RewardModelTrainer ta = new RewardModelTrainer(a.model(), o.learningRate(), 1.0);
        RewardModelTrainer tb = new RewardModelTrainer(b.model(), o.learningRate(), 1.0)) {
      for (int epoch = 0; epoch < o.epochs(); epoch++) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) {
          order.add(i);
        }
        Collections.shuffle(order, shuffle);
        if (o.curriculum() && epoch > 0) {
          // peer review of the whole epoch's data, then each model's selection from easy to hard
          float[] ma = margins(a, train);
          float[] mb = margins(b, train);
          double tau = dropRate(o, epoch);
          double pace = pace(epoch, o.epochs());
          List<Integer> selA = selection(order, mb, ma, tau);
          List<Integer> selB = selection(order, ma, mb, tau);
          List<Integer> forA = paced(selA, pace, shuffle);
          List<Integer> forB = paced(selB, pace, shuffle);
          for (int start = 0; start < Math.max(forA.size(), forB.size()); start += o.batch()) {
            if (start < forA.size()) {
              step(ta, a, forA.subList(start, Math.min(forA.size(), start + o.batch())).stream().map(train::get)
                  .toList(), null);
            }
            if (start < forB.size()) {
              step(tb, b, forB.subList(start, Math.min(forB.size(), start + o.batch())).stream().map(train::get)
                  .toList(), null);
            }
          }
          kept += forA.size() + forB.size();
          dropped += 2L * train.size() - selA.size() - selB.size(); // by peer review, not by the pace
          if (flipped != null) {
            java.util.Set<Integer> a2 = new java.util.HashSet<>(selA);
            java.util.Set<Integer> b2 = new java.util.HashSet<>(selB);
            for (int i = 0; i < train.size(); i++) {
              droppedFlipped += flipped[i] ? (a2.contains(i) ? 0 : 1) + (b2.contains(i) ? 0 : 1) : 0;
            }
          }
          continue;
        }
        int batches = (order.size() + o.batch() - 1) / o.batch();
        for (int start = 0, k = 0; start < order.size(); start += o.batch(), k++) {
          List<Integer> idx = order.subList(start, Math.min(order.size(), start + o.batch()));
          List<PreferenceExample> part = idx.stream().map(train::get).toList();
          double tau = dropRate(o, epoch + (double) k / batches);
          int[] forA = tau > 0 ? keep(margins(b, part), tau) : all(part.size());
          int[] forB = tau > 0 ? keep(margins(a, part), tau) : all(part.size());
          step(ta, a, part, forA);
          step(tb, b, part, forB);
          kept += forA.length + forB.length;
          dropped += 2L * part.size() - forA.length - forB.length;
          if (flipped != null) {
            droppedFlipped += countFlippedDropped(idx, forA, flipped) + countFlippedDropped(idx, forB, flipped);
          }
        }
      }
    }
    return new Stats(kept, dropped, droppedFlipped);
  }

  /** Plain Bradley–Terry training of one model on {@code train}, with the same batches and shuffles. */
  public static void trainAlone(RewardModel model, List<PreferenceExample> train, Options o) {
    Random shuffle = new Random(o.seed());
    try (RewardModelTrainer t = new RewardModelTrainer(model.model(), o.learningRate(), 1.0)) {
      for (int epoch = 0; epoch < o.epochs(); epoch++) {
        List<PreferenceExample> order = new ArrayList<>(train);
        Collections.shuffle(order, shuffle);
        for (int start = 0; start < order.size(); start += o.batch()) {
          List<PreferenceExample> part = order.subList(start, Math.min(order.size(), start + o.batch()));
          step(t, model, part, all(part.size()));
        }
      }
    }
  }

  /**
   * The pairs of {@code order} a model trains on in a curriculum epoch: the {@code ⌈(1 − τ)·n⌉} its peer's margins
   * rank highest, ordered by the two models' mean margin, largest (easiest) first.
   */
  static List<Integer> selection(List<Integer> order, float[] peer, float[] own, double tau) {
    float[] m = new float[order.size()];
    for (int i = 0; i < m.length; i++) {
      m[i] = peer[order.get(i)];
    }
    List<Integer> out = new ArrayList<>();
    for (int i : keep(m, tau)) {
      out.add(order.get(i));
    }
    out.sort(Comparator.comparingDouble((Integer i) -> peer[i] + own[i]).reversed());
    return out;
  }

  /**
   * The curriculum's pace: the share of a model's selection (easiest first) that epoch {@code epoch} (from 1) trains
   * on, growing linearly from a half at the second epoch to all of it at the last.
   */
  static double pace(int epoch, int epochs) {
    return epochs <= 2 ? 1 : Math.min(1, 0.5 + 0.5 * (epoch - 1) / (epochs - 2));
  }

  /** The easiest {@code pace} share of {@code easyFirst}, shuffled (so that no epoch ends on its hardest pairs). */
  static List<Integer> paced(List<Integer> easyFirst, double pace, Random shuffle) {
    int n = Math.max(1, (int) Math.ceil(pace * easyFirst.size() - 1e-9));
    List<Integer> out = new ArrayList<>(easyFirst.subList(0, Math.min(n, easyFirst.size())));
    Collections.shuffle(out, shuffle);
    return out;
  }

  private static long countFlippedDropped(List<Integer> idx, int[] keptLocal, boolean[] flipped) {
    boolean[] isKept = new boolean[idx.size()];
    for (int i : keptLocal) {
      isKept[i] = true;
    }
    long n = 0;
    for (int i = 0; i < idx.size(); i++) {
      n += !isKept[i] && flipped[idx.get(i)] ? 1 : 0;
    }
    return n;
  }

  private static int[] all(int n) {
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = i;
    }
    return out;
  }

  /** {@code r(chosen) − r(rejected)} of each pair under {@code model}. */
  static float[] margins(RewardModel model, List<PreferenceExample> pairs) {
    List<List<Message>> conversations = new ArrayList<>(2 * pairs.size());
    for (PreferenceExample e : pairs) {
      conversations.add(e.chosen());
      conversations.add(e.rejected());
    }
    float[] s = model.score(conversations, 64);
    float[] out = new float[pairs.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = s[2 * i] - s[2 * i + 1];
    }
    return out;
  }

  private static void step(RewardModelTrainer trainer, RewardModel model, List<PreferenceExample> part, int[] which) {
    which = which == null ? all(part.size()) : which;
    List<int[]> chosen = new ArrayList<>(which.length);
    List<int[]> rejected = new ArrayList<>(which.length);
    for (int i : which) {
      chosen.add(model.ids(part.get(i).chosen()));
      rejected.add(model.ids(part.get(i).rejected()));
    }
    trainer.step(chosen, rejected);
  }
}
