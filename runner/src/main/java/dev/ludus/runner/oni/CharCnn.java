package dev.ludus.runner.oni;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * A {@link MessageNet} over a message's bytes, after ONI's classifier (a character-level CNN): a 1-D convolution of
 * width {@link #WIDTH} over the UTF-8 bytes (each byte's learned embedding folded into the filters: the filters read
 * one-hot bytes), max-pooled over the message's positions, a bias and ReLU, then a linear layer to one scalar:
 * {@code f(m) = w2 · relu(max_t (W · onehot(m[t..t+WIDTH))) + b) + b2}. Messages are read up to {@link #MAX_BYTES}
 * bytes. Thread-safe.
 */
final class CharCnn extends MessageNet {
  /** The convolution's width, in bytes. */
  static final int WIDTH = 3;
  /** The longest prefix of a message read, in bytes. */
  static final int MAX_BYTES = 128;
  private static final int IN = 256 * WIDTH;

  /**
   * @param filters the convolution's filters (the pooled features), 1 to 1024
   */
  CharCnn(int filters, double learningRate, long seed) {
    super(learningRate);
    Random r = new Random(seed);
    float[] w = new float[IN * filters];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (r.nextGaussian() * Math.sqrt(2.0 / WIDTH)); // WIDTH inputs on per position
    }
    float[] w2 = new float[filters];
    for (int i = 0; i < w2.length; i++) {
      w2[i] = (float) (r.nextGaussian() / Math.sqrt(filters));
    }
    // W (256·WIDTH, F), b (F), w2 (F, 1), b2 (1)
    init(manager.create(w, new Shape(IN, filters)), manager.zeros(new Shape(filters)),
        manager.create(w2, new Shape(filters, 1)), manager.zeros(new Shape(1)));
  }

  /**
   * The one-hot windows (n·P, 256·WIDTH) of the texts' bytes, P the positions of the longest (at least one: a message
   * shorter than the window is padded with zero bytes), and the additive mask (n, P, 1) that keeps each message's
   * max-pool on its own positions.
   */
  private static NDArray[] windows(NDManager m, List<String> texts) {
    int n = texts.size();
    byte[][] bytes = new byte[n][];
    int longest = 0;
    for (int i = 0; i < n; i++) {
      byte[] b = texts.get(i).getBytes(StandardCharsets.UTF_8);
      bytes[i] = b.length > MAX_BYTES ? java.util.Arrays.copyOf(b, MAX_BYTES) : b;
      longest = Math.max(longest, bytes[i].length);
    }
    int positions = Math.max(1, longest - WIDTH + 1);
    float[] x = new float[n * positions * IN];
    float[] mask = new float[n * positions];
    for (int i = 0; i < n; i++) {
      int own = Math.max(1, bytes[i].length - WIDTH + 1);
      for (int t = 0; t < positions; t++) {
        if (t >= own) {
          mask[i * positions + t] = -1e9f;
          continue;
        }
        int row = (i * positions + t) * IN;
        for (int k = 0; k < WIDTH; k++) {
          int at = t + k;
          int v = at < bytes[i].length ? bytes[i][at] & 0xff : 0;
          x[row + k * 256 + v] = 1f;
        }
      }
    }
    return new NDArray[] {m.create(x, new Shape((long) n * positions, IN)),
        m.create(mask, new Shape(n, positions, 1))};
  }

  @Override
  protected Pass forward(NDManager m, List<String> texts) {
    NDArray[] in = windows(m, texts);
    NDArray x = in[0];
    long n = texts.size();
    long positions = in[1].getShape().get(1);
    NDArray y = x.matMul(param(0)).reshape(n, positions, -1).add(in[1]);
    NDArray pooled = y.max(new int[] {1}, true); // (n, 1, F)
    // the position each filter's max came from (ties share the gradient)
    NDArray chosen = y.eq(pooled).toType(DataType.FLOAT32, false);
    chosen = chosen.div(chosen.sum(new int[] {1}, true));
    NDArray pre = pooled.reshape(n, -1).add(param(1));
    return new Pass(pre.maximum(0f).matMul(param(2)).add(param(3)), x, pre, chosen);
  }

  @Override
  protected NDArray[] gradients(Pass pass, NDArray dz) {
    NDArray x = pass.saved()[0];
    NDArray pre = pass.saved()[1];
    NDArray chosen = pass.saved()[2];
    NDArray h = pre.maximum(0f);
    NDManager m = x.getManager();
    NDArray w2t = m.create(param(2).toFloatArray(), new Shape(1, param(2).getShape().get(0)));
    NDArray dpre = dz.matMul(w2t).mul(pre.gt(0f).toType(DataType.FLOAT32, false)); // (n, F)
    long n = pre.getShape().get(0);
    NDArray dy = chosen.mul(dpre.reshape(n, 1, -1)).reshape(x.getShape().get(0), -1); // (n·P, F)
    return new NDArray[] {x.transpose().matMul(dy), dpre.sum(new int[] {0}), h.transpose().matMul(dz),
        dz.sum(new int[] {0})};
  }
}
