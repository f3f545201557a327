package dev.ludus.runner.oni;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A {@link MessageNet} over hashed word and word-pair features (binary, scaled to unit norm) through one hidden ReLU
 * layer to one scalar. Thread-safe.
 */
final class TextNet extends MessageNet {
  static final int FEATURES = 1024;

  TextNet(int hidden, double learningRate, long seed) {
    super(learningRate);
    Random r = new Random(seed);
    float[] w1 = new float[FEATURES * hidden];
    for (int i = 0; i < w1.length; i++) {
      w1[i] = (float) (r.nextGaussian() * Math.sqrt(2.0 / 16)); // about 16 features on per message
    }
    float[] w2 = new float[hidden];
    for (int i = 0; i < w2.length; i++) {
      w2[i] = (float) (r.nextGaussian() / Math.sqrt(hidden));
    }
    // w1 (D, H), b1 (H), w2 (H, 1), b2 (1)
    init(manager.create(w1, new Shape(FEATURES, hidden)), manager.zeros(new Shape(hidden)),
        manager.create(w2, new Shape(hidden, 1)), manager.zeros(new Shape(1)));
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

  @Override
  protected Pass forward(NDManager m, List<String> texts) {
    NDArray x = batch(m, texts);
    NDArray pre = x.matMul(param(0)).add(param(1));
    return new Pass(pre.maximum(0f).matMul(param(2)).add(param(3)), x, pre);
  }

  @Override
  protected NDArray[] gradients(Pass pass, NDArray dz) {
    NDArray x = pass.saved()[0];
    NDArray pre = pass.saved()[1];
    NDArray h = pre.maximum(0f);
    NDManager m = x.getManager(); // every new array goes there: an operation's result joins its receiver's manager
    NDArray w2t = m.create(param(2).toFloatArray(), new Shape(1, param(2).getShape().get(0)));
    NDArray dh = dz.matMul(w2t).mul(pre.gt(0f).toType(DataType.FLOAT32, false));
    return new NDArray[] {x.transpose().matMul(dh), dh.sum(new int[] {0}), h.transpose().matMul(dz),
        dz.sum(new int[] {0})};
  }
}
