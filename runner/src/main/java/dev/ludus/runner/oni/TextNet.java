package dev.ludus.runner.oni;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A small DJL network scoring a message: hashed word and word-pair features (binary, scaled to unit norm) through one
 * hidden ReLU layer to one scalar. Trained by Adam on the binary cross-entropy of labels ({@link #trainLabels}) or on
 * the Bradley–Terry loss of preferred pairs ({@link #trainPairs}).
 *
 * <p>Design: two layers are small enough to back-propagate by hand in NDArray operations, so training takes no
 * autograd and no gradient collector (DJL's is one per process, the policy learner's). Parameters live on the
 * network's own manager; each call works on a sub-manager closed at its end. Calls are synchronized: one pass at a
 * time; the shapers call it on worker threads only, never on an event loop.
 */
final class TextNet implements AutoCloseable {
  static final int FEATURES = 1024;
  private static final float BETA1 = 0.9f;
  private static final float BETA2 = 0.999f;

  private final NDManager manager;
  private final NDArray[] params; // w1 (D, H), b1 (H), w2 (H, 1), b2 (1)
  private final NDArray[] first;
  private final NDArray[] second;
  private final float learningRate;
  private int steps;

  TextNet(int hidden, double learningRate, long seed) {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    this.manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    this.learningRate = (float) learningRate;
    Random r = new Random(seed);
    float[] w1 = new float[FEATURES * hidden];
    for (int i = 0; i < w1.length; i++) {
      w1[i] = (float) (r.nextGaussian() * Math.sqrt(2.0 / 16)); // about 16 features on per message
    }
    float[] w2 = new float[hidden];
    for (int i = 0; i < w2.length; i++) {
      w2[i] = (float) (r.nextGaussian() / Math.sqrt(hidden));
    }
    params = new NDArray[] {manager.create(w1, new Shape(FEATURES, hidden)), manager.zeros(new Shape(hidden)),
        manager.create(w2, new Shape(hidden, 1)), manager.zeros(new Shape(1))};
    first = new NDArray[params.length];
    second = new NDArray[params.length];
    for (int i = 0; i < params.length; i++) {
      first[i] = manager.zeros(params[i].getShape());
      second[i] = manager.zeros(params[i].getShape());
    }
  }

  /** The feature vector of {@code text}: hashed lower-case words and adjacent word pairs, unit norm. */
  static float[] features(String text) {
    float[] f = new float[FEATURES];
    String[] words = text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+");
    String previous = null;
    int on = 0;
    for (String w : words) {
      if (w.isEmpty()) {
        continue;
      }
      on += set(f, w.hashCode());
      if (previous != null) {
        on += set(f, (previous + " " + w).hashCode() * 31 + 7);
      }
      previous = w;
    }
    if (on > 0) {
      float scale = (float) (1 / Math.sqrt(on));
      for (int i = 0; i < f.length; i++) {
        f[i] *= scale;
      }
    }
    return f;
  }

  private static int set(float[] f, int hash) {
    int i = Math.floorMod(hash, FEATURES);
    if (f[i] != 0) {
      return 0;
    }
    f[i] = 1;
    return 1;
  }

  private static NDArray batch(NDManager m, List<String> texts) {
    float[] x = new float[texts.size() * FEATURES];
    for (int i = 0; i < texts.size(); i++) {
      System.arraycopy(features(texts.get(i)), 0, x, i * FEATURES, FEATURES);
    }
    return m.create(x, new Shape(texts.size(), FEATURES));
  }

  /** The raw score (logit) of each text. */
  synchronized float[] scores(List<String> texts) {
    if (texts.isEmpty()) {
      return new float[0];
    }
    try (NDManager m = manager.newSubManager()) {
      NDArray x = batch(m, texts);
      NDArray h = x.matMul(params[0]).add(params[1]).maximum(0f);
      return h.matMul(params[2]).add(params[3]).reshape(-1).toFloatArray();
    }
  }

  /** One Adam step on the mean binary cross-entropy of {@code labels} (0 or 1) under σ(score); returns the loss. */
  synchronized double trainLabels(List<String> texts, float[] labels) {
    try (NDManager m = manager.newSubManager()) {
      NDArray x = batch(m, texts);
      NDArray pre = x.matMul(params[0]).add(params[1]);
      NDArray z = pre.maximum(0f).matMul(params[2]).add(params[3]);
      NDArray p = Activation.sigmoid(z);
      NDArray y = m.create(labels, new Shape(labels.length, 1));
      float[] pv = p.toFloatArray();
      double loss = 0;
      for (int i = 0; i < pv.length; i++) {
        double q = Math.min(Math.max(pv[i], 1e-7), 1 - 1e-7);
        loss -= labels[i] * Math.log(q) + (1 - labels[i]) * Math.log(1 - q);
      }
      step(x, pre, p.sub(y).div(labels.length));
      return loss / labels.length;
    }
  }

  /**
   * One Adam step on the mean Bradley–Terry loss {@code −log σ(s(winner) − s(loser))} of the pairs; returns the loss.
   */
  synchronized double trainPairs(List<String> winners, List<String> losers) {
    int n = winners.size();
    try (NDManager m = manager.newSubManager()) {
      NDArray x = batch(m, java.util.stream.Stream.concat(winners.stream(), losers.stream()).toList());
      NDArray pre = x.matMul(params[0]).add(params[1]);
      NDArray z = pre.maximum(0f).matMul(params[2]).add(params[3]).reshape(-1);
      NDArray margin = z.get("0:" + n).sub(z.get(n + ":"));
      NDArray dw = Activation.sigmoid(margin).sub(1f).div(n); // d loss / d s(winner)
      float[] mv = margin.toFloatArray();
      double loss = 0;
      for (float v : mv) {
        loss += Math.log1p(Math.exp(-v));
      }
      step(x, pre, dw.concat(dw.neg()).reshape(2L * n, 1));
      return loss / n;
    }
  }

  /** Back-propagates {@code dz} (n, 1), the loss's gradient at the scores, and takes one Adam step. */
  private void step(NDArray x, NDArray pre, NDArray dz) {
    NDArray h = pre.maximum(0f);
    NDManager m = x.getManager(); // every new array goes there: an operation's result joins its receiver's manager
    NDArray w2t = m.create(params[2].toFloatArray(), new Shape(1, params[2].getShape().get(0)));
    NDArray dh = dz.matMul(w2t).mul(pre.gt(0f).toType(DataType.FLOAT32, false));
    NDArray[] grads = {x.transpose().matMul(dh), dh.sum(new int[] {0}), h.transpose().matMul(dz),
        dz.sum(new int[] {0})};
    steps++;
    float c1 = (float) (1 - Math.pow(BETA1, steps));
    float c2 = (float) (1 - Math.pow(BETA2, steps));
    for (int i = 0; i < params.length; i++) {
      NDArray g = grads[i];
      first[i].muli(BETA1).addi(g.mul(1 - BETA1));
      second[i].muli(BETA2).addi(g.mul(g).mul(1 - BETA2));
      NDArray scale = g.zerosLike().addi(second[i]).divi(c2).sqrt().addi(1e-8f);
      params[i].subi(g.zerosLike().addi(first[i]).divi(c1).divi(scale).muli(learningRate));
    }
  }

  /** Adam steps taken so far. */
  synchronized int steps() {
    return steps;
  }

  @Override
  public synchronized void close() {
    manager.close();
  }
}
