package dev.ludus.agents.djl;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.Seeds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * A small decoder-only transformer language model on DJL (PyTorch engine): the handle that both the
 * {@code djl-lm} agent (generation) and a learner (training) hold.
 *
 * <p>Design: one DJL {@link Model} owns one {@link Block} ({@code TransformerLm}) whose parameters live on
 * {@link #device()}. A {@linkplain #version() policy version} counts weight updates; every token the agent
 * produces is stamped with the version that produced it. A read-write lock keeps generation and updates
 * apart: forward passes, log-prob recomputation, generation and {@link #save} hold the read lock (so many run
 * at once), {@link #update} holds the write lock while it changes the weights and then bumps the version. A
 * whole batched generation holds the read lock from its first to its last token, so one reply never mixes
 * two policies.
 *
 * <p>Optionally ({@link Spec#valueHead()}) the model is also a critic: a scalar value head on the same final
 * hidden states as the vocabulary head (one shared trunk, as TRL's {@code AutoModelForCausalLMWithValueHead}).
 * Generation never computes it; {@link #stateValues} gives the value of the state at the end of each prompt,
 * {@link #values} and {@link #logitsAndValues} give a learner the values of every position.
 *
 * <p>Thread-safety: the convenience methods ({@link #forward(List)}, {@link #logProbs(int[], int[])},
 * {@link #stateValues}) and {@link #update}, {@link #save}, {@link #version()} are thread-safe. The NDArray
 * methods ({@link #logits(ParameterStore, NDArray, NDArray, boolean)}, {@link #tokenLogProbs}, {@link #values},
 * {@link #logitsAndValues}) take no lock: they are for a learner, which computes its loss and gradients with
 * them (reads) and applies its optimizer step inside {@link #update}.
 *
 * <p>It is its own {@link TrainablePolicy} (a learner's view of it) with no token excluded from its
 * distribution; {@link DjlLmAgent#trainable()} gives the view whose distribution is the agent's sampler's.
 *
 * <p>Life-cycle: holds native memory; whoever created it closes it ({@link #close()} is idempotent and waits
 * for running forward passes). An agent built from a configuration owns its model; an agent given a model
 * does not.
 */
public final class LanguageModel implements TrainablePolicy {
  static final String NAME = "djl-lm";
  static final String SPEC_FILE = "djl-lm.json";
  static final float MASKED = -1e9f;
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The architecture.
   *
   * @param layers decoder layers, 1 to 64
   * @param width model width (embedding size), 8 to 8192, a multiple of {@code heads}
   * @param heads attention heads, 1 to 128
   * @param context the longest sequence (prompt plus output) in tokens, 2 to 65536
   * @param vocabSize the number of token ids, from the tokenizer, 4 to 10,000,000
   * @param valueHead whether the model also has a scalar value head (a critic sharing the trunk, for PPO with
   *     GAE; {@code width + 1} parameters); optional so that a policy trained without a critic keeps exactly its
   *     parameters, optimizer state and checkpoints, and checkpoints saved before the head existed load as
   *     models without one
   */
  public record Spec(int layers, int width, int heads, int context, int vocabSize, boolean valueHead) {
    /** An architecture without a value head. */
    public Spec(int layers, int width, int heads, int context, int vocabSize) {
      this(layers, width, heads, context, vocabSize, false);
    }

    public Spec {
      range("layers", layers, 1, 64);
      range("width", width, 8, 8192);
      range("heads", heads, 1, 128);
      range("context", context, 2, 65536);
      range("vocabSize", vocabSize, 4, 10_000_000);
      if (width % heads != 0) {
        throw new IllegalArgumentException("width (" + width + ") must be a multiple of heads (" + heads + ")");
      }
    }

    /** This architecture with or without a value head. */
    public Spec withValueHead(boolean on) {
      return new Spec(layers, width, heads, context, vocabSize, on);
    }

    static void range(String field, long value, long min, long max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(field + " must be in [" + min + ", " + max + "], was " + value);
      }
    }
  }

  private final Spec spec;
  private final Model model;
  private final CausalLmBlock block;
  /** The architecture when it is not the built-in transformer, else null. */
  private final Architecture architecture;
  private final AtomicLong version;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile String lastForwardThread = "";

  private LanguageModel(Spec spec, Architecture architecture, Device device, long version) {
    this.spec = spec;
    this.version = new AtomicLong(version);
    this.architecture = architecture;
    this.block = architecture == null ? new TransformerLm(spec) : architecture.newBlock(spec);
    this.model = Model.newInstance(NAME, device, DjlRuntime.ENGINE);
    model.setBlock(block);
  }

  /**
   * A new model with weights drawn from {@code seed} (GPT-2 style: normal with standard deviation 0.02, the
   * residual projections scaled by {@code 1/sqrt(2 layers)}, zero biases, unit LayerNorm gains), so the same
   * seed gives the same weights on every machine.
   *
   * @param device {@code auto}, {@code cpu} or {@code gpu}
   */
  public static LanguageModel create(Spec spec, String device, long seed) {
    Objects.requireNonNull(spec, "spec");
    return create(spec, null, DjlRuntime.device(device), seed, 0, true);
  }

  /**
   * A new model of another architecture (a Hugging Face model, say), its first weights given by
   * {@link Architecture#initializeWeights}; it is generated with, trained, saved and loaded like a built-in one.
   *
   * @param device {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}
   */
  public static LanguageModel create(Architecture architecture, Spec spec, String device, long seed) {
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(spec, "spec");
    return create(spec, architecture, DjlRuntime.device(device), seed, 0, true);
  }

  private static LanguageModel create(Spec spec, Architecture architecture, Device device, long seed, long version,
      boolean initialWeights) {
    LanguageModel lm = new LanguageModel(spec, architecture, device, version);
    try {
      DjlRuntime.runWithoutGrad(() -> {
        lm.block.initialize(lm.model.getNDManager(), DataType.FLOAT32,
            new Shape(1, 1), new Shape(1, 1), new Shape(1, 1, 1, 1));
        if (architecture == null) {
          lm.initializeWeights(seed);
        } else if (initialWeights) {
          architecture.initializeWeights(lm.block, seed);
        }
      });
    } catch (RuntimeException e) {
      lm.close();
      throw e;
    }
    return lm;
  }

  /**
   * A model saved by {@link #save}: same architecture (value head included, when it had one), weights and
   * version. A checkpoint written before value heads existed has no {@code valueHead} entry and loads without
   * one.
   */
  public static LanguageModel load(Path directory, String device) {
    ObjectNode meta = readMeta(directory);
    Spec spec = new Spec(meta.path("layers").asInt(), meta.path("width").asInt(), meta.path("heads").asInt(),
        meta.path("context").asInt(), meta.path("vocabSize").asInt(), meta.path("valueHead").asBoolean(false));
    Architecture architecture = meta.hasNonNull("architecture")
        ? ArchitectureReaders.read(meta.path("architecture").asText(), meta.path("architectureConfig"), directory)
        : null;
    LanguageModel lm = new LanguageModel(spec, architecture, DjlRuntime.device(device),
        meta.path("policyVersion").asLong());
    try {
      lm.model.load(directory, NAME);
      for (Parameter p : lm.block.getParameters().values()) {
        if (p.requiresGradient()) {
          p.getArray().setRequiresGradient(true); // loading decodes plain arrays; a learner needs leaves with grad
        }
      }
      // a loaded block knows its input shapes but not its input names, and Model.save would then fail
      // ("key value size mismatch"); initializing again describes the inputs as create() does, and leaves
      // every (already initialized) parameter as loaded
      lm.block.initialize(lm.model.getNDManager(), DataType.FLOAT32,
          new Shape(1, 1), new Shape(1, 1), new Shape(1, 1, 1, 1));
    } catch (IOException | MalformedModelException | RuntimeException e) {
      lm.close();
      throw new IllegalArgumentException("cannot load checkpoint " + directory + ": " + e.getMessage(), e);
    }
    return lm;
  }

  /**
   * A frozen copy: a new model with this one's architecture, weights (copied under the read lock, so of one
   * version), version and device. No token is excluded from a {@code LanguageModel}'s distribution. The caller
   * closes both.
   */
  @Override
  public LanguageModel frozenCopy() {
    Lock read = readLock();
    try {
      LanguageModel out = create(spec, architecture, device(), 0, version.get(), false);
      try {
        copyWeightsInto(out);
        return out;
      } catch (RuntimeException e) {
        out.close();
        throw e;
      }
    } finally {
      read.unlock();
    }
  }

  /** A model saved by {@link #save}, loaded on this model's device. */
  @Override
  public LanguageModel loadFrozen(Path directory) {
    return load(directory, device().isGpu() ? "gpu:" + device().getDeviceId() : "cpu");
  }

  /** Copies every parameter into the same-named parameter of {@code out}; the caller holds the read lock. */
  private void copyWeightsInto(LanguageModel out) {
    ParameterList target = out.block.getParameters();
    DjlRuntime.runWithoutGrad(() -> {
      for (Pair<String, Parameter> p : block.getParameters()) {
        target.get(p.getKey()).getArray().set(p.getValue().getArray().toFloatArray());
      }
    });
  }

  /**
   * A new model with this one's weights, policy version and device plus a fresh value head (drawn from
   * {@code seed} as {@link #create} draws it): how a critic is put on a policy trained without one, as TRL's
   * {@code AutoModelForCausalLMWithValueHead.from_pretrained} puts a new {@code v_head} on a pretrained model.
   * This model is left as it was; the caller closes both.
   *
   * @throws IllegalStateException if this model already has a value head
   */
  public LanguageModel withFreshValueHead(long seed) {
    if (spec.valueHead()) {
      throw new IllegalStateException("this model already has a value head");
    }
    Lock read = readLock();
    try {
      LanguageModel out = create(spec.withValueHead(true), architecture, device(), seed, version.get(), true);
      try {
        copyWeightsInto(out);
        return out;
      } catch (RuntimeException e) {
        out.close();
        throw e;
      }
    } finally {
      read.unlock();
    }
  }

  /**
   * The tokenizer a checkpoint saved by {@link #save} keeps beyond its {@code tokenizer.json}, when its architecture
   * has one ({@link Architecture#tokenizer}); empty for the built-in architecture or a directory that is no
   * checkpoint. The caller closes it.
   */
  public static java.util.Optional<LmTokenizer> checkpointTokenizer(Path directory) {
    if (!Files.isRegularFile(directory.resolve(SPEC_FILE))) {
      return java.util.Optional.empty();
    }
    ObjectNode meta = readMeta(directory);
    if (!meta.hasNonNull("architecture")) {
      return java.util.Optional.empty();
    }
    return ArchitectureReaders.read(meta.path("architecture").asText(), meta.path("architectureConfig"), directory)
        .tokenizer(directory);
  }

  private static ObjectNode readMeta(Path directory) {
    Path file = directory.resolve(SPEC_FILE);
    try {
      return (ObjectNode) JSON.readTree(file.toFile());
    } catch (IOException | ClassCastException e) {
      throw new IllegalArgumentException("checkpoint " + directory + " has no readable " + SPEC_FILE + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * Writes the parameters ({@code djl-lm-0000.params}, DJL's format; the value head's too, when there is one)
   * and the architecture and policy version ({@code djl-lm.json}) into {@code directory}, creating it. Runs under the read lock, so the weights saved
   * are those of exactly one version.
   */
  @Override
  public void save(Path directory) {
    Lock read = readLock();
    try {
      Files.createDirectories(directory);
      model.save(directory, NAME);
      ObjectNode meta = JSON.createObjectNode();
      meta.put("format", 1);
      meta.put("layers", spec.layers());
      meta.put("width", spec.width());
      meta.put("heads", spec.heads());
      meta.put("context", spec.context());
      meta.put("vocabSize", spec.vocabSize());
      meta.put("valueHead", spec.valueHead());
      meta.put("policyVersion", version.get());
      if (architecture != null) {
        meta.put("architecture", architecture.name());
        meta.set("architectureConfig", architecture.describe());
        architecture.saveExtras(block, directory);
      }
      JSON.writerWithDefaultPrettyPrinter().writeValue(directory.resolve(SPEC_FILE).toFile(), meta);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save checkpoint to " + directory + ": " + e.getMessage(), e);
    } finally {
      read.unlock();
    }
  }

  @Override
  public Spec spec() {
    return spec;
  }

  @Override
  public Device device() {
    return model.getNDManager().getDevice();
  }

  /** The DJL model (for {@code model.newTrainer(...)}); do not close it, close this instead. */
  public Model model() {
    return model;
  }

  /** The architecture, when it is not the built-in transformer. */
  public java.util.Optional<Architecture> architecture() {
    return java.util.Optional.ofNullable(architecture);
  }

  /** The network, for a learner's {@code GradientCollector} and optimizer. */
  public Block block() {
    return block;
  }

  /** Every parameter, named by its path in the network. */
  @Override
  public ParameterList parameters() {
    return block.getParameters();
  }

  /** The policy version: 0 for a new model, the saved value for a loaded one, plus one per {@link #update}. */
  @Override
  public long version() {
    return version.get();
  }

  /**
   * Changes the weights exclusively: waits for running generations and forward passes, runs {@code change}
   * (an optimizer step, a copy of new weights) with autograd off, and increments the policy version, which it
   * returns.
   */
  @Override
  public long update(Runnable change) {
    ensureOpen();
    lock.writeLock().lock();
    try {
      DjlRuntime.runWithoutGrad(change);
      return version.incrementAndGet();
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * The logits (B, T, V) of a batch of token ids (B, T) under an attention mask (B, T) that is 1 for real
   * tokens and 0 for padding, on either side. Positions count real tokens only, so a left-padded sequence
   * gets the same logits as the unpadded one. The result is on {@code tokenIds}' manager.
   */
  @Override
  public NDArray logits(ParameterStore ps, NDArray tokenIds, NDArray attentionMask, boolean training) {
    return block.forward(ps, inputs(tokenIds, attentionMask), training).get(0);
  }

  /**
   * Teacher-forced log-probabilities (B, T-1) under the raw model (temperature 1): entry {@code t} is
   * {@code log p(tokenIds[t+1] | tokenIds[0..t])}. Entries whose target is padding are meaningless; mask them.
   */
  public NDArray tokenLogProbs(ParameterStore ps, NDArray tokenIds, NDArray attentionMask, boolean training) {
    return teacherForced(logits(ps, tokenIds, attentionMask, training), tokenIds);
  }

  /** Whether this model has a value head ({@link Spec#valueHead()}). */
  public boolean hasValueHead() {
    return spec.valueHead();
  }

  /**
   * The value head's output (B, T) for token ids (B, T) under an attention mask, laid out as for
   * {@link #logits}: entry {@code t} is the critic's value of the state whose last token is {@code t}, so the
   * value of the state in which the agent writes a turn is the entry at the prompt's last token. The
   * vocabulary head is not computed. Takes no lock (for a learner, like {@link #logits}).
   *
   * @throws IllegalStateException if the model has no value head
   */
  public NDArray values(ParameterStore ps, NDArray tokenIds, NDArray attentionMask, boolean training) {
    return block.values(ps, inputs(tokenIds, attentionMask), training);
  }

  /**
   * The logits (B, T, V) and values (B, T) of one forward pass: the trunk runs once and both heads read its
   * final hidden states, so a loss on both back-propagates into the shared trunk. Takes no lock.
   *
   * @throws IllegalStateException if the model has no value head
   */
  @Override
  public Heads logitsAndValues(ParameterStore ps, NDArray tokenIds, NDArray attentionMask, boolean training) {
    NDList out = block.logitsAndValues(ps, inputs(tokenIds, attentionMask), training);
    return new Heads(out.get(0), out.get(1));
  }

  /**
   * The logits (1, N, V) at the flat cells {@code cells} (N) of the (B, T) ids only, and with {@code withValues} the
   * values (B, T) of the same pass (else null): see {@link TrainablePolicy#logitsAt}. Takes no lock.
   */
  @Override
  public Heads logitsAt(ParameterStore ps, NDArray tokenIds, NDArray attentionMask, NDArray cells,
      boolean withValues, boolean training) {
    if (withValues && !spec.valueHead()) {
      throw new IllegalStateException("this model has no value head (LanguageModel.Spec.valueHead is false)");
    }
    NDList out = block.logitsAt(ps, inputs(tokenIds, attentionMask), cells, withValues, training);
    return new Heads(out.get(0), withValues ? out.get(1) : null);
  }

  /**
   * The outputs of both heads for one batch.
   *
   * @param logits (B, T, V)
   * @param values (B, T)
   */
  public record Heads(NDArray logits, NDArray values) {}

  /**
   * The value of the state at the end of each prompt (the value head's output at its last token: the state
   * in which the agent writes its turn), batched into one forward pass without the vocabulary head.
   * Thread-safe: runs under the read lock, so the values are those of one policy version.
   *
   * @throws IllegalStateException if the model has no value head
   */
  @Override
  public float[] stateValues(List<int[]> prompts) {
    if (!spec.valueHead()) {
      throw new IllegalStateException("this model has no value head (LanguageModel.Spec.valueHead is false)");
    }
    for (int i = 0; i < prompts.size(); i++) {
      if (prompts.get(i).length == 0) {
        throw new IllegalArgumentException("prompt " + i + " is empty; a state needs at least one token");
      }
    }
    return inference(manager -> {
      Padded p = Padded.left(prompts, 0);
      NDArray all = values(new ParameterStore(manager, false), p.ids(manager), p.mask(manager), false);
      // left-padded: every prompt ends in the last column
      return all.get(new NDIndex(":, -1")).toFloatArray();
    });
  }

  /** The logits of each sequence, batched into one forward pass: {@code [sequence][position][token]}. */
  public float[][][] forward(List<int[]> sequences) {
    return inference(manager -> {
      Padded p = Padded.left(sequences, 0);
      float[] flat = logits(new ParameterStore(manager, false), p.ids(manager), p.mask(manager), false).toFloatArray();
      int vocab = spec.vocabSize();
      float[][][] out = new float[sequences.size()][][];
      for (int b = 0; b < out.length; b++) {
        int len = sequences.get(b).length;
        out[b] = new float[len][vocab];
        for (int j = 0; j < len; j++) {
          System.arraycopy(flat, ((b * p.width()) + p.pad(b) + j) * vocab, out[b][j], 0, vocab);
        }
      }
      return out;
    });
  }

  /**
   * The teacher-forced log-probability of each of {@code outputIds} after {@code promptIds} under the raw
   * model (temperature 1, no top-k or top-p): what a learner recomputes for the current policy.
   */
  public float[] logProbs(int[] promptIds, int[] outputIds) {
    return logProbs(List.of(promptIds), List.of(outputIds))[0];
  }

  /** {@link #logProbs(int[], int[])} for many pairs in one forward pass. */
  public float[][] logProbs(List<int[]> prompts, List<int[]> outputs) {
    double[] ones = new double[prompts.size()];
    Arrays.fill(ones, 1.0);
    return logProbs(prompts, outputs, ones, NO_EXCLUSIONS);
  }

  /**
   * The log-probability of each output token after its prompt in {@code softmax(logits / temperatures[i])}: what a
   * sampler at that temperature (without top-k or top-p) gives it.
   */
  @Override
  public float[][] logProbs(List<int[]> prompts, List<int[]> outputs, double[] temperatures) {
    return logProbs(prompts, outputs, temperatures, NO_EXCLUSIONS);
  }

  static final int[] NO_EXCLUSIONS = new int[0];

  /** {@link #logProbs(List, List, double[])} with the ids {@code excluded} pushed to {@link #MASKED} first. */
  float[][] logProbs(List<int[]> prompts, List<int[]> outputs, double[] temperatures, int[] excluded) {
    if (prompts.size() != outputs.size() || prompts.size() != temperatures.length) {
      throw new IllegalArgumentException(prompts.size() + " prompts, " + outputs.size() + " outputs and "
          + temperatures.length + " temperatures; they must be as many");
    }
    List<int[]> joined = new ArrayList<>(prompts.size());
    float[] temps = new float[prompts.size()];
    for (int i = 0; i < prompts.size(); i++) {
      if (prompts.get(i).length == 0) {
        throw new IllegalArgumentException("prompt " + i + " is empty; the first output token needs context");
      }
      if (!(temperatures[i] > 0 && temperatures[i] <= 100)) {
        throw new IllegalArgumentException("temperature " + i + " must be in (0, 100], was " + temperatures[i]);
      }
      temps[i] = (float) temperatures[i];
      int[] all = Arrays.copyOf(prompts.get(i), prompts.get(i).length + outputs.get(i).length);
      System.arraycopy(outputs.get(i), 0, all, prompts.get(i).length, outputs.get(i).length);
      joined.add(all);
    }
    return inference(manager -> {
      Padded p = Padded.left(joined, 0);
      ParameterStore ps = new ParameterStore(manager, false);
      NDArray ids = p.ids(manager);
      NDArray logits = logits(ps, ids, p.mask(manager), false);
      if (excluded.length > 0) {
        logits = logits.add(exclusion(manager, spec.vocabSize(), excluded));
      }
      logits = logits.div(manager.create(temps, new Shape(temps.length, 1, 1)));
      float[] flat = teacherForced(logits, ids).toFloatArray();
      int cols = p.width() - 1;
      float[][] out = new float[joined.size()][];
      for (int b = 0; b < out.length; b++) {
        int start = p.pad(b) + prompts.get(b).length;
        out[b] = new float[outputs.get(b).length];
        for (int j = 0; j < out[b].length; j++) {
          out[b][j] = flat[b * cols + start + j - 1];
        }
      }
      return out;
    });
  }

  /** (V): {@link #MASKED} at each excluded id, 0 elsewhere; added to logits (B, T, V), it excludes those ids. */
  static NDArray exclusion(NDManager m, int vocab, int[] excluded) {
    float[] row = new float[vocab];
    for (int id : excluded) {
      row[id] = MASKED;
    }
    return m.create(row);
  }

  /** The log-probabilities (B, T-1) of each next token of {@code tokenIds} under {@code logits} (B, T, V). */
  static NDArray teacherForced(NDArray logits, NDArray tokenIds) {
    long t = tokenIds.getShape().get(1);
    NDArray logp = logits.get(new NDIndex(":, :{}, :", t - 1)).logSoftmax(-1);
    NDArray targets = tokenIds.get(new NDIndex(":, 1:")).toType(DataType.INT64, false).expandDims(2);
    return logp.gather(targets, 2).squeeze(2);
  }

  /** The inputs of the network for ids and an attention mask of 1s and 0s: ids, positions, additive mask. */
  NDList inputs(NDArray tokenIds, NDArray attentionMask) {
    long b = tokenIds.getShape().get(0);
    int t = Math.toIntExact(tokenIds.getShape().get(1));
    if (t > spec.context()) {
      throw new IllegalArgumentException("sequence of " + t + " tokens exceeds the context of " + spec.context());
    }
    NDManager m = tokenIds.getManager();
    NDArray mask = attentionMask.toType(DataType.FLOAT32, false);
    NDArray positions = mask.cumSum(1).sub(1f).maximum(0f).toType(DataType.INT64, false);
    float[] causal = new float[t * t];
    for (int i = 0; i < t; i++) {
      for (int j = 0; j <= i; j++) {
        causal[i * t + j] = 1f;
      }
    }
    NDArray allowed = m.create(causal, new Shape(1, 1, t, t)).mul(mask.reshape(b, 1, 1, t));
    NDArray additive = allowed.sub(1f).mul(-MASKED);
    return new NDList(tokenIds.toType(DataType.INT64, false), positions, additive);
  }

  /**
   * One raw forward pass for generation: the logits (B, 1, V) at each sequence's last position, then per layer
   * the keys and values of every position (see {@link TransformerLm#lastLogits}). The caller holds the read lock
   * and a no-grad scope.
   */
  NDList forwardRaw(ParameterStore ps, NDList inputs) {
    lastForwardThread = Thread.currentThread().getName();
    return block.lastLogits(ps, inputs);
  }

  /** The name of the thread that ran the latest forward pass of the generator or the convenience methods. */
  String lastForwardThread() {
    return lastForwardThread;
  }

  /** The manager that owns the parameters (a learner's sub-managers go under it; never close it). */
  @Override
  public NDManager manager() {
    return model.getNDManager();
  }

  /** Takes the read lock (the caller unlocks it). */
  Lock readLock() {
    ensureOpen();
    Lock read = lock.readLock();
    read.lock();
    if (closed.get()) {
      read.unlock();
      throw new IllegalStateException("language model is closed");
    }
    return read;
  }

  /** Runs {@code body} under the read lock, without autograd, on a sub-manager closed afterwards. */
  <T> T inference(Function<NDManager, T> body) {
    Lock read = readLock();
    try (NDManager m = model.getNDManager().newSubManager()) {
      lastForwardThread = Thread.currentThread().getName();
      return DjlRuntime.withoutGrad(() -> body.apply(m));
    } finally {
      read.unlock();
    }
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException("language model is closed");
    }
  }

  private void initializeWeights(long seed) {
    double residualStd = 0.02 / Math.sqrt(2.0 * spec.layers());
    int index = 0;
    for (Pair<String, Parameter> p : block.getParameters()) {
      Parameter param = p.getValue();
      NDArray array = param.getArray();
      float[] values = new float[Math.toIntExact(array.getShape().size())];
      Random rng = new Random(Seeds.mix(seed, index++));
      switch (param.getType()) {
        case GAMMA -> Arrays.fill(values, 1f);
        case WEIGHT -> {
          String name = p.getKey();
          double std = name.contains("attentionOut") || name.contains("mlpOut") ? residualStd : 0.02;
          for (int i = 0; i < values.length; i++) {
            values[i] = (float) (rng.nextGaussian() * std);
          }
        }
        default -> { } // biases and LayerNorm offsets start at zero
      }
      array.set(values);
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      lock.writeLock().lock();
      try {
        model.close();
      } finally {
        lock.writeLock().unlock();
      }
    }
  }

  @Override
  public String toString() {
    return "LanguageModel" + spec + " on " + device() + ", version " + version.get();
  }

  /**
   * Sequences left-padded to one width.
   *
   * @param rows the sequences
   * @param width the longest length
   * @param padId the id written in padding positions
   */
  record Padded(List<int[]> rows, int width, int padId) {
    static Padded left(List<int[]> rows, int padId) {
      if (rows.isEmpty()) {
        throw new IllegalArgumentException("no sequences");
      }
      int width = rows.stream().mapToInt(r -> r.length).max().orElse(0);
      if (width == 0) {
        throw new IllegalArgumentException("every sequence is empty");
      }
      return new Padded(rows, width, padId);
    }

    int pad(int row) {
      return width - rows.get(row).length;
    }

    NDArray ids(NDManager m) {
      long[] ids = new long[rows.size() * width];
      Arrays.fill(ids, padId);
      for (int b = 0; b < rows.size(); b++) {
        int[] r = rows.get(b);
        for (int j = 0; j < r.length; j++) {
          ids[b * width + pad(b) + j] = r[j];
        }
      }
      return m.create(ids, new Shape(rows.size(), width));
    }

    NDArray mask(NDManager m) {
      float[] mask = new float[rows.size() * width];
      for (int b = 0; b < rows.size(); b++) {
        Arrays.fill(mask, b * width + pad(b), (b + 1) * width, 1f);
      }
      return m.create(mask, new Shape(rows.size(), width));
    }
  }
}
