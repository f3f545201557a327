package dev.ludus.runner.rm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.ludus.agents.djl.ConversationIds;
import dev.ludus.agents.djl.LmTokenizer;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Message;
import dev.ludus.runner.learn.LossStepper;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Sotopia-RL's utterance reward model (catalog C7): the same scalar head on a djl-lm trunk as the Bradley–Terry
 * model ({@link RewardModel}), read at the last token of (history, utterance), trained by mean squared error against
 * the reward attributed to the utterance. Paper: Yu et al. 2025, "Sotopia-RL: Reward Design for Social Intelligence"
 * (its utterance-level reward model: a causal LM with a scalar head regressed on attributed rewards).
 *
 * <p>Formula: {@code L = (1/|B|) Σ_{(h,u,y)∈B} (r_θ(h ⊕ u) − y)²}. Law (unit-tested): on a constant target the loss
 * goes to 0. Held-out examples are split by group, as {@code ludus rm train}'s pairs are.
 */
public final class UtteranceTraining {
  private UtteranceTraining() {}

  /**
   * The trained model and its fit.
   *
   * @param trainMse the mean squared error on the training examples at the end
   * @param heldOutMse on the held-out ones (NaN without any)
   * @param heldOutCorrelation Pearson's r between prediction and target on the held-out ones (NaN without any)
   * @param baselineMse the held-out MSE of predicting the training mean (NaN without held-out examples)
   */
  public record Result(RewardModel model, List<UtteranceExample> train, List<UtteranceExample> heldOut,
      double trainMse, double heldOutMse, double heldOutCorrelation, double baselineMse) {}

  /** One MSE step on {@code part}; the loss before it. */
  static double step(LossStepper stepper, RewardModel model, List<UtteranceExample> part) {
    int n = part.size();
    List<int[]> seqs = new ArrayList<>(n);
    int width = 0;
    for (UtteranceExample e : part) {
      int[] ids = model.ids(e.conversation());
      seqs.add(ids);
      width = Math.max(width, ids.length);
    }
    long[] ids = new long[n * width];
    float[] attention = new float[n * width];
    long[] last = new long[n];
    float[] target = new float[n];
    for (int r = 0; r < n; r++) {
      int[] s = seqs.get(r);
      for (int j = 0; j < s.length; j++) {
        ids[r * width + j] = s[j];
        attention[r * width + j] = 1f;
      }
      last[r] = (long) r * width + s.length - 1;
      target[r] = (float) part.get(r).target();
    }
    int w = width;
    return stepper.step((ps, m) -> {
      NDArray v = model.model().values(ps, m.create(ids, new Shape(n, w)), m.create(attention, new Shape(n, w)), true);
      NDArray r = v.reshape(-1).gather(m.create(last), 0);
      return r.sub(m.create(target)).square().mean();
    }).loss();
  }

  /** Trains on {@code examples} with {@code o}'s model size, split, epochs and batch; the caller closes the model. */
  public static Result train(List<UtteranceExample> examples, RewardModelTraining.Options o, PrintWriter out) {
    return train(examples, o, null, out);
  }

  /**
   * As {@link #train(List, RewardModelTraining.Options, PrintWriter)}, on the trunk of the djl-lm checkpoint
   * {@code trunk} when it is not null ({@link RewardModel#fromCheckpoint}).
   */
  public static Result train(List<UtteranceExample> examples, RewardModelTraining.Options o, java.nio.file.Path trunk,
      PrintWriter out) {
    if (examples.size() < 2) {
      throw new ConfigException("an utterance reward model needs at least 2 examples, got " + examples.size()
          + " (they come from the ledgers of a run's episodes)");
    }
    Map<String, List<UtteranceExample>> byGroup = new LinkedHashMap<>();
    for (int i = 0; i < examples.size(); i++) {
      UtteranceExample e = examples.get(i);
      byGroup.computeIfAbsent(e.group() != null ? "g:" + e.group() : "p:" + i, k -> new ArrayList<>()).add(e);
    }
    List<List<UtteranceExample>> groups = new ArrayList<>(byGroup.values());
    Collections.shuffle(groups, new Random(o.seed()));
    int target = (int) Math.round(examples.size() * o.holdout());
    List<UtteranceExample> heldOut = new ArrayList<>();
    List<UtteranceExample> train = new ArrayList<>();
    for (List<UtteranceExample> g : groups) {
      (heldOut.size() < target ? heldOut : train).addAll(g);
    }
    if (train.isEmpty()) {
      throw new ConfigException("--holdout " + o.holdout() + " leaves no training examples");
    }
    if (trunk != null) {
      RewardModel model = RewardModel.fromCheckpoint(trunk, o.device(), o.seed());
      out.printf(Locale.ROOT, "utterance reward model on the trunk of %s; %d training utterances, %d held out%n", trunk,
          train.size(), heldOut.size());
      try {
        return fit(model, train, heldOut, o, out);
      } catch (RuntimeException e) {
        model.close();
        throw e;
      }
    }
    List<String> texts = new ArrayList<>();
    for (UtteranceExample e : train) {
      for (Message m : e.conversation()) {
        texts.add(m.content() == null ? "" : m.content());
      }
    }
    LmTokenizer tokenizer = LmTokenizer.byteLevelBpe(texts, o.vocab());
    int longest = 0;
    for (UtteranceExample e : examples) {
      longest = Math.max(longest, ConversationIds.of(tokenizer, e.conversation()).length);
    }
    int context = Math.min(1024, Math.max(32, (longest + 31) / 32 * 32));
    RewardModel model = RewardModel.create(tokenizer, o.layers(), o.width(), o.heads(), context, o.device(), o.seed());
    out.printf(Locale.ROOT, "utterance reward model: %d layers, width %d, context %d, BPE of %d tokens; %d training "
        + "utterances, %d held out%n", o.layers(), o.width(), context, tokenizer.vocabSize(), train.size(),
        heldOut.size());
    try {
      return fit(model, train, heldOut, o, out);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /** Trains {@code model} (any reward model, e.g. on a checkpoint's trunk) on {@code train}, measuring on both. */
  public static Result fit(RewardModel model, List<UtteranceExample> train, List<UtteranceExample> heldOut,
      RewardModelTraining.Options o, PrintWriter out) {
    Random shuffle = new Random(o.seed() + 1);
    try (LossStepper stepper = new LossStepper(model.model(), o.learningRate(), 1.0)) {
      for (int epoch = 0; epoch < o.epochs(); epoch++) {
        List<UtteranceExample> order = new ArrayList<>(train);
        Collections.shuffle(order, shuffle);
        double loss = 0;
        for (int start = 0; start < order.size(); start += o.batch()) {
          List<UtteranceExample> part = order.subList(start, Math.min(order.size(), start + o.batch()));
          loss += step(stepper, model, part) * part.size();
        }
        String held = heldOut.isEmpty() ? "" : String.format(Locale.ROOT, "  held-out MSE %.4f",
            fitOf(model, heldOut, 0)[0]);
        out.printf(Locale.ROOT, "epoch %3d/%d  train MSE %.4f%s%n", epoch + 1, o.epochs(), loss / order.size(), held);
        out.flush();
      }
    }
    double mean = train.stream().mapToDouble(UtteranceExample::target).average().orElse(0);
    double[] h = heldOut.isEmpty() ? new double[] {Double.NaN, Double.NaN, Double.NaN} : fitOf(model, heldOut, mean);
    return new Result(model, List.copyOf(train), List.copyOf(heldOut), fitOf(model, train, mean)[0], h[0], h[1], h[2]);
  }

  /** {MSE, Pearson's r, MSE of predicting {@code constant}} of {@code model} on {@code examples}. */
  public static double[] fitOf(RewardModel model, List<UtteranceExample> examples, double constant) {
    float[] p = model.score(examples.stream().map(UtteranceExample::conversation).toList(), 64);
    int n = p.length;
    double mse = 0;
    double base = 0;
    double mp = 0;
    double my = 0;
    for (int i = 0; i < n; i++) {
      double y = examples.get(i).target();
      mse += (p[i] - y) * (p[i] - y);
      base += (constant - y) * (constant - y);
      mp += p[i];
      my += y;
    }
    mp /= n;
    my /= n;
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < n; i++) {
      double dx = p[i] - mp;
      double dy = examples.get(i).target() - my;
      sxy += dx * dy;
      sxx += dx * dx;
      syy += dy * dy;
    }
    double r = sxx == 0 || syy == 0 ? Double.NaN : sxy / Math.sqrt(sxx * syy);
    return new double[] {mse / n, r, base / n};
  }
}
