package dev.ludus.runner.scoring;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.ludus.agents.djl.ConversationIds;
import dev.ludus.agents.djl.LanguageModel;
import dev.ludus.agents.djl.LmTokenizer;
import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.Message;
import dev.ludus.api.Turn;
import dev.ludus.runner.learn.LossStepper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * PRIME's implicit process reward model (catalog C1): a PRM {@code π_φ} that starts as a copy of the policy, a frozen
 * reference {@code π_ref} (the same checkpoint), and the online update of {@code π_φ} on outcome labels.
 *
 * <p>Design: a batch is a list of groups. Every agent turn of every episode is one row: the conversation before the
 * action, rendered by the djl-lm chat template (the prompt), then the action's tokens (the output). One forward pass
 * of {@code π_ref} (no gradient) and one of {@code π_φ} (with gradient) over all rows give each turn's
 * {@code s_t = Σ_{i∈turn t} [log π_φ(y_i | ·) − log π_ref(y_i | ·)]}; the turn reward is {@code β·s_t}, read before
 * the update (as PRIME's {@code update: before} returns the scores of the forward pass it trains on). The update is
 * one AdamW step on the mean over episodes of {@code BCE(σ(β·Σ_t s_t), acc)}, {@code acc} = 1 when the episode's
 * environment return is above the success threshold. Then, per group, the turn rewards are divided by the largest
 * {@code |reverse cumulative sum|} over the group's episodes (PRIME's batch normalisation, over turns and within a
 * group here rather than over tokens and the whole training batch, so that a group's rewards do not depend on which
 * other groups shared its batch). A prompt longer than the context keeps its end; an output longer than the context
 * keeps its first {@code context − 1} tokens.
 *
 * <p>Thread-safety: none; it runs on one batcher's worker (batches run one at a time). Life-cycle: owns both models,
 * the tokenizer and the optimizer state; {@link #close} releases them.
 */
final class ImplicitPrm implements AutoCloseable {
  /**
   * How it scores and learns.
   *
   * @param beta β, the implicit reward's scale (PRIME: 0.05)
   * @param learningRate the PRM's AdamW step
   * @param update whether {@code π_φ} learns online (else it stays the reference, and every reward is 0 until it is
   *     given another checkpoint)
   * @param successAbove an episode is a success ({@code acc = 1}) when its environment return is above this
   * @param normalize whether the turn rewards are divided by the group's largest |reverse cumulative sum|
   */
  record Options(double beta, double learningRate, boolean update, double successAbove, boolean normalize) {}

  /**
   * What a batch gave.
   *
   * @param rewards per group, per episode, per turn: the (normalised, when asked) turn rewards; an empty array for
   *     a failed episode
   * @param raw the same before normalisation
   * @param loss the BCE before the update (NaN without one)
   */
  record Scores(List<List<double[]>> rewards, List<List<double[]>> raw, double loss) {}

  private final LanguageModel prm;
  private final LanguageModel reference;
  private final LmTokenizer tokenizer;
  private final Options options;
  private final LossStepper stepper;

  /** Takes ownership of all three; {@code prm} and {@code reference} are two models, usually of one checkpoint. */
  ImplicitPrm(LanguageModel prm, LanguageModel reference, LmTokenizer tokenizer, Options options) {
    this.prm = prm;
    this.reference = reference;
    this.tokenizer = tokenizer;
    this.options = options;
    this.stepper = options.update() ? new LossStepper(prm, options.learningRate(), 1.0) : null;
  }

  LanguageModel prm() {
    return prm;
  }

  LanguageModel reference() {
    return reference;
  }

  LmTokenizer tokenizer() {
    return tokenizer;
  }

  /** One agent turn's prompt and output ids within the context. */
  record Row(int[] prompt, int[] output) {}

  /** The rows of {@code episode}'s turns (a turn with no tokens gives null). */
  List<Row> rows(Episode episode) {
    return rows(episode, tokenizer, prm.spec().context());
  }

  /**
   * The rows of {@code episode}'s turns under {@code tokenizer} within {@code context} tokens: the conversation before
   * each action rendered by the chat template, then the action's tokens (a turn with no tokens gives null).
   */
  static List<Row> rows(Episode episode, LmTokenizer tokenizer, int context) {
    List<Row> out = new ArrayList<>();
    List<Message> so = new ArrayList<>(episode.start());
    for (Turn t : episode.turns()) {
      int[] prompt = ConversationIds.of(tokenizer, so);
      int[] output = tokenizer.encode(t.action().content() == null ? "" : t.action().content());
      if (output.length == 0 || prompt.length == 0) {
        out.add(null);
      } else {
        if (output.length >= context) {
          output = Arrays.copyOf(output, context - 1);
        }
        int keep = Math.min(prompt.length, context - output.length);
        out.add(new Row(Arrays.copyOfRange(prompt, prompt.length - keep, prompt.length), output));
      }
      so.add(t.action());
      so.addAll(t.observation());
    }
    return out;
  }

  /** Scores the turns of every episode of {@code groups}, then (when {@link Options#update}) updates the PRM. */
  Scores score(List<List<Episode>> groups) {
    List<Row> rows = new ArrayList<>();
    List<int[]> rowAt = new ArrayList<>(); // {group, episode, turn}
    List<int[]> episodes = new ArrayList<>(); // {group, episode}
    List<Float> labels = new ArrayList<>();
    for (int g = 0; g < groups.size(); g++) {
      for (int e = 0; e < groups.get(g).size(); e++) {
        Episode ep = groups.get(g).get(e);
        if (ep.status() == EpisodeStatus.FAILED) {
          continue;
        }
        List<Row> r = rows(ep);
        boolean any = false;
        for (int t = 0; t < r.size(); t++) {
          if (r.get(t) != null) {
            rows.add(r.get(t));
            rowAt.add(new int[] {g, e, t, episodes.size()});
            any = true;
          }
        }
        if (any) {
          episodes.add(new int[] {g, e});
          labels.add(ep.totalReward() > options.successAbove() ? 1f : 0f);
        }
      }
    }
    double[] ratio = new double[rows.size()];
    double loss = Double.NaN;
    if (!rows.isEmpty()) {
      double[] ref = sums(reference.logProbs(rows.stream().map(Row::prompt).toList(),
          rows.stream().map(Row::output).toList()));
      if (stepper == null) {
        double[] phi = sums(prm.logProbs(rows.stream().map(Row::prompt).toList(),
            rows.stream().map(Row::output).toList()));
        for (int i = 0; i < ratio.length; i++) {
          ratio[i] = phi[i] - ref[i];
        }
      } else {
        loss = update(rows, rowAt, episodes.size(), labels, ref, ratio);
      }
    }
    List<List<double[]>> raw = new ArrayList<>();
    for (List<Episode> group : groups) {
      List<double[]> g = new ArrayList<>();
      for (Episode ep : group) {
        g.add(ep.status() == EpisodeStatus.FAILED ? new double[0] : new double[ep.turns().size()]);
      }
      raw.add(g);
    }
    for (int i = 0; i < rowAt.size(); i++) {
      int[] w = rowAt.get(i);
      raw.get(w[0]).get(w[1])[w[2]] = options.beta() * ratio[i];
    }
    List<List<double[]>> rewards = new ArrayList<>();
    for (List<double[]> g : raw) {
      rewards.add(options.normalize() ? normalise(g) : g);
    }
    return new Scores(rewards, raw, loss);
  }

  /**
   * PRIME's batch normalisation over one group: every turn reward divided by the largest {@code |Σ_{k≥t} r_k|} of
   * the group's episodes (plus 1e-6, as PRIME's).
   */
  static List<double[]> normalise(List<double[]> group) {
    double max = 0;
    for (double[] r : group) {
      double suffix = 0;
      for (int t = r.length - 1; t >= 0; t--) {
        suffix += r[t];
        max = Math.max(max, Math.abs(suffix));
      }
    }
    List<double[]> out = new ArrayList<>(group.size());
    for (double[] r : group) {
      double[] n = new double[r.length];
      for (int t = 0; t < r.length; t++) {
        n[t] = r[t] / (max + 1e-6);
      }
      out.add(n);
    }
    return out;
  }

  /** One BCE step; fills {@code ratio} with each row's log-ratio read in the step's forward pass; the loss. */
  private double update(List<Row> rows, List<int[]> rowAt, int episodes, List<Float> labels, double[] ref,
      double[] ratio) {
    int n = rows.size();
    int width = 0;
    for (Row r : rows) {
      width = Math.max(width, r.prompt().length + r.output().length);
    }
    long[] ids = new long[n * width];
    float[] attention = new float[n * width];
    float[] pick = new float[n * (width - 1)]; // the output tokens' columns of the teacher-forced log-probs
    float[] member = new float[episodes * n]; // which rows make each episode
    float[] refSum = new float[n];
    for (int i = 0; i < n; i++) {
      Row r = rows.get(i);
      int p = r.prompt().length;
      for (int j = 0; j < p; j++) {
        ids[i * width + j] = r.prompt()[j];
        attention[i * width + j] = 1f;
      }
      for (int j = 0; j < r.output().length; j++) {
        ids[i * width + p + j] = r.output()[j];
        attention[i * width + p + j] = 1f;
        pick[i * (width - 1) + p + j - 1] = 1f;
      }
      member[rowAt.get(i)[3] * n + i] = 1f;
      refSum[i] = (float) ref[i];
    }
    float[] label = new float[episodes];
    for (int e = 0; e < episodes; e++) {
      label[e] = labels.get(e);
    }
    int w = width;
    float beta = (float) options.beta();
    LossStepper.Stats s = stepper.step((ps, m) -> {
      NDArray lp = prm.tokenLogProbs(ps, m.create(ids, new Shape(n, w)), m.create(attention, new Shape(n, w)), true);
      NDArray rowRatio = lp.mul(m.create(pick, new Shape(n, w - 1))).sum(new int[] {1}).sub(m.create(refSum));
      float[] read = rowRatio.stopGradient().toFloatArray();
      for (int i = 0; i < n; i++) {
        ratio[i] = read[i];
      }
      NDArray z = m.create(member, new Shape(episodes, n)).matMul(rowRatio.reshape(n, 1)).reshape(episodes).mul(beta);
      // BCE(σ(z), y) = softplus(z) − y·z
      return LossStepper.softPlus(z).sub(z.mul(m.create(label))).mean();
    });
    return s.loss();
  }

  private static double[] sums(float[][] logProbs) {
    double[] out = new double[logProbs.length];
    for (int i = 0; i < out.length; i++) {
      for (float v : logProbs[i]) {
        out[i] += v;
      }
    }
    return out;
  }

  @Override
  public void close() {
    try {
      if (stepper != null) {
        stepper.close();
      }
    } finally {
      try {
        prm.close();
      } finally {
        try {
          reference.close();
        } finally {
          tokenizer.close();
        }
      }
    }
  }
}
