package dev.ludus.runner.learn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * AdamW (Loshchilov and Hutter, decoupled weight decay) over a model's parameter arrays, with its own first
 * and second moment arrays so that its whole state can be written and read back exactly. DJL's own
 * {@code Adam} keeps its moments private and cannot be saved, which would make a resumed run diverge from an
 * uninterrupted one.
 *
 * <p>One step, with gradient {@code g} (already clipped), step count {@code t} and learning rate {@code lr}:
 * <pre>
 *   m ← β1·m + (1 − β1)·g          v ← β2·v + (1 − β2)·g²
 *   p ← p·(1 − lr·λ)                (weights and embeddings only)
 *   p ← p − lr · (m / (1 − β1^t)) / (sqrt(v / (1 − β2^t)) + ε)
 * </pre>
 * as PyTorch's {@code torch.optim.AdamW}. The moments live on the parameters' device, in a sub-manager of the
 * model's manager that {@link #close()} releases.
 *
 * <p>Not thread-safe: the {@link PolicyLearner} that owns it serializes every call; {@link #step} runs inside
 * {@code TrainablePolicy.update}, with autograd off.
 */
final class AdamW implements AutoCloseable {
  private static final int MAGIC = 0x4C414457; // "LADW"
  private static final int FORMAT = 1;

  private final NDManager manager;
  private final List<String> names = new ArrayList<>();
  private final List<Parameter> parameters = new ArrayList<>();
  private final NDArray[] firstMoments;
  private final NDArray[] secondMoments;
  private long step;

  AdamW(Iterable<Pair<String, Parameter>> params, NDManager parent) {
    for (Pair<String, Parameter> p : params) {
      if (p.getValue().requiresGradient()) {
        names.add(p.getKey());
        parameters.add(p.getValue());
      }
    }
    manager = parent.newSubManager();
    firstMoments = new NDArray[parameters.size()];
    secondMoments = new NDArray[parameters.size()];
    for (int i = 0; i < parameters.size(); i++) {
      Shape shape = parameters.get(i).getArray().getShape();
      firstMoments[i] = manager.zeros(shape, DataType.FLOAT32);
      secondMoments[i] = manager.zeros(shape, DataType.FLOAT32);
    }
  }

  /** The trained parameters, in the order of {@link #step}'s gradients. */
  List<Parameter> parameters() {
    return parameters;
  }

  List<String> names() {
    return names;
  }

  /** Optimizer steps taken (AdamW's {@code t}). */
  long steps() {
    return step;
  }

  /**
   * One AdamW step at learning rate {@code learningRate}. {@code gradients[i]} belongs to
   * {@code parameters().get(i)} and is multiplied by {@code scale} (gradient clipping) first; temporaries go to
   * {@code scratch}.
   */
  void step(NDArray[] gradients, double scale, double learningRate, LearnerConfig c, NDManager scratch) {
    long t = step + 1;
    double correction1 = 1 - Math.pow(c.beta1(), t);
    double correction2 = 1 - Math.pow(c.beta2(), t);
    float lr = (float) learningRate;
    float decay = (float) (1 - learningRate * c.weightDecay());
    for (int i = 0; i < parameters.size(); i++) {
      NDArray g = gradients[i];
      if (scale != 1.0) {
        g = g.mul((float) scale);
      }
      NDArray m = firstMoments[i].muli((float) c.beta1()).addi(g.mul((float) (1 - c.beta1())));
      NDArray v = secondMoments[i].muli((float) c.beta2()).addi(g.square().mul((float) (1 - c.beta2())));
      NDArray denominator = scratch(scratch, v.div((float) correction2)).sqrt().add((float) c.adamEpsilon());
      NDArray change = scratch(scratch, m.div((float) correction1)).div(denominator).mul(lr);
      Parameter p = parameters.get(i);
      NDArray weights = p.getArray();
      if (c.weightDecay() > 0 && p.getType() == Parameter.Type.WEIGHT) {
        weights.muli(decay);
      }
      weights.subi(change);
    }
    step = t;
  }

  private static NDArray scratch(NDManager scratch, NDArray a) {
    a.attach(scratch);
    return a;
  }

  /** Writes the step count, the parameter names and shapes, and both moments of every parameter. */
  void write(DataOutputStream out) throws IOException {
    out.writeInt(MAGIC);
    out.writeInt(FORMAT);
    out.writeLong(step);
    out.writeInt(parameters.size());
    for (int i = 0; i < parameters.size(); i++) {
      out.writeUTF(names.get(i));
      long[] shape = firstMoments[i].getShape().getShape();
      out.writeInt(shape.length);
      for (long d : shape) {
        out.writeLong(d);
      }
      writeFloats(out, firstMoments[i].toFloatArray());
      writeFloats(out, secondMoments[i].toFloatArray());
    }
  }

  /** Reads what {@link #write} wrote, after checking that names and shapes match these parameters. */
  void read(DataInputStream in) throws IOException {
    if (in.readInt() != MAGIC) {
      throw new IOException("not an optimizer state file (bad magic number)");
    }
    int format = in.readInt();
    if (format != FORMAT) {
      throw new IOException("optimizer state format " + format + " is not supported (expected " + FORMAT + ")");
    }
    long steps = in.readLong();
    int count = in.readInt();
    if (count != parameters.size()) {
      throw new IOException("optimizer state has " + count + " parameters but the model has " + parameters.size());
    }
    float[][] first = new float[count][];
    float[][] second = new float[count][];
    for (int i = 0; i < count; i++) {
      String name = in.readUTF();
      if (!name.equals(names.get(i))) {
        throw new IOException("optimizer state parameter " + i + " is '" + name + "' but the model's is '"
            + names.get(i) + "'");
      }
      long[] shape = new long[in.readInt()];
      for (int d = 0; d < shape.length; d++) {
        shape[d] = in.readLong();
      }
      long[] expected = firstMoments[i].getShape().getShape();
      if (!Arrays.equals(shape, expected)) {
        throw new IOException("optimizer state parameter '" + name + "' has shape " + Arrays.toString(shape)
            + " but the model's is " + Arrays.toString(expected));
      }
      first[i] = readFloats(in, firstMoments[i].size());
      second[i] = readFloats(in, secondMoments[i].size());
    }
    for (int i = 0; i < count; i++) {
      firstMoments[i].set(first[i]);
      secondMoments[i].set(second[i]);
    }
    step = steps;
  }

  /** Copies of the moments, for tests: {@code [parameter][0 = first, 1 = second][value]}. */
  float[][][] moments() {
    float[][][] out = new float[parameters.size()][][];
    for (int i = 0; i < out.length; i++) {
      out[i] = new float[][] {firstMoments[i].toFloatArray(), secondMoments[i].toFloatArray()};
    }
    return out;
  }

  private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
    out.writeInt(values.length);
    for (float f : values) {
      out.writeFloat(f);
    }
  }

  private static float[] readFloats(DataInputStream in, long expected) throws IOException {
    int n = in.readInt();
    if (n != expected) {
      throw new IOException("optimizer state array has " + n + " values, expected " + expected);
    }
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = in.readFloat();
    }
    return values;
  }

  @Override
  public void close() {
    manager.close();
  }
}
