package dev.ludus.runner.oni;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.List;

/**
 * A small DJL network that scores a message with one scalar, trained by Adam on the binary cross-entropy of labels
 * ({@link #trainLabels}) or on the Bradley–Terry loss of preferred pairs ({@link #trainPairs}). Subclasses give the
 * forward pass and its hand-written backward pass.
 *
 * <p>Design: the networks are small enough to back-propagate by hand in NDArray operations, so training takes no
 * autograd and no gradient collector (DJL's is one per process, the policy learner's). Parameters live on the
 * network's own manager; each call works on a sub-manager closed at its end. Calls are synchronized: one pass at a
 * time; the shapers call it on worker threads only, never on an event loop. Thread-safe.
 */
abstract class MessageNet implements AutoCloseable {
  private static final float BETA1 = 0.9f;
  private static final float BETA2 = 0.999f;

  protected final NDManager manager;
  private final float learningRate;
  private NDArray[] params;
  private NDArray[] first;
  private NDArray[] second;
  private int steps;

  MessageNet(double learningRate) {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    this.manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    this.learningRate = (float) learningRate;
  }

  /** Sets the parameters (on {@link #manager}), once, from the subclass's constructor. */
  protected final void init(NDArray... initial) {
    params = initial;
    first = new NDArray[params.length];
    second = new NDArray[params.length];
    for (int i = 0; i < params.length; i++) {
      first[i] = manager.zeros(params[i].getShape());
      second[i] = manager.zeros(params[i].getShape());
    }
  }

  protected final NDArray param(int i) {
    return params[i];
  }

  /** The scores (n, 1) of {@code texts} on {@code m}, and what {@link #gradients} needs. */
  protected abstract Pass forward(NDManager m, List<String> texts);

  /** The gradients of the loss at each parameter, in order, given its gradient {@code dz} (n, 1) at the scores. */
  protected abstract NDArray[] gradients(Pass pass, NDArray dz);

  /** A forward pass's scores (n, 1) and the activations its backward pass reads. */
  protected record Pass(NDArray z, NDArray... saved) {}

  /** The raw score (logit) of each text. */
  synchronized float[] scores(List<String> texts) {
    if (texts.isEmpty()) {
      return new float[0];
    }
    try (NDManager m = manager.newSubManager()) {
      return forward(m, texts).z().reshape(-1).toFloatArray();
    }
  }

  /** One Adam step on the mean binary cross-entropy of {@code labels} (0 or 1) under σ(score); returns the loss. */
  synchronized double trainLabels(List<String> texts, float[] labels) {
    try (NDManager m = manager.newSubManager()) {
      Pass pass = forward(m, texts);
      double loss = bce(pass.z(), labels);
      adam(gradients(pass, labelGradient(m, pass.z(), labels)));
      return loss;
    }
  }

  /**
   * The gradients of the mean binary cross-entropy of {@code labels} at each parameter, flattened, without a step:
   * for tests of the backward pass.
   */
  synchronized float[][] labelGradients(List<String> texts, float[] labels) {
    try (NDManager m = manager.newSubManager()) {
      Pass pass = forward(m, texts);
      NDArray[] g = gradients(pass, labelGradient(m, pass.z(), labels));
      float[][] out = new float[g.length][];
      for (int i = 0; i < g.length; i++) {
        out[i] = g[i].toFloatArray();
      }
      return out;
    }
  }

  /** The mean binary cross-entropy of {@code labels} under σ(score): the loss {@link #trainLabels} steps on. */
  synchronized double labelLoss(List<String> texts, float[] labels) {
    try (NDManager m = manager.newSubManager()) {
      return bce(forward(m, texts).z(), labels);
    }
  }

  /** Adds {@code delta} to entry {@code index} of parameter {@code param} (flattened): for gradient checks. */
  synchronized void nudge(int param, int index, float delta) {
    float[] v = params[param].toFloatArray();
    v[index] += delta;
    params[param].set(v);
  }

  private static NDArray labelGradient(NDManager m, NDArray z, float[] labels) {
    NDArray y = m.create(labels, new Shape(labels.length, 1));
    return Activation.sigmoid(z).sub(y).div(labels.length);
  }

  private static double bce(NDArray z, float[] labels) {
    float[] zv = z.reshape(-1).toFloatArray();
    double loss = 0;
    for (int i = 0; i < zv.length; i++) {
      // log(1 + e^-z) for label 1, log(1 + e^z) for label 0, computed stably
      double s = labels[i] == 1 ? -zv[i] : zv[i];
      loss += Math.max(s, 0) + Math.log1p(Math.exp(-Math.abs(s)));
    }
    return loss / labels.length;
  }

  /**
   * One Adam step on the mean Bradley–Terry loss {@code −log σ(s(winner) − s(loser))} of the pairs; returns the loss.
   */
  synchronized double trainPairs(List<String> winners, List<String> losers) {
    int n = winners.size();
    try (NDManager m = manager.newSubManager()) {
      Pass pass = forward(m, java.util.stream.Stream.concat(winners.stream(), losers.stream()).toList());
      NDArray z = pass.z().reshape(-1);
      NDArray margin = z.get("0:" + n).sub(z.get(n + ":"));
      NDArray dw = Activation.sigmoid(margin).sub(1f).div(n); // d loss / d s(winner)
      float[] mv = margin.toFloatArray();
      double loss = 0;
      for (float v : mv) {
        loss += Math.log1p(Math.exp(-v));
      }
      adam(gradients(pass, dw.concat(dw.neg()).reshape(2L * n, 1)));
      return loss / n;
    }
  }

  private void adam(NDArray[] grads) {
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
