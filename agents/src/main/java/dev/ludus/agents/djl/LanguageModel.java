package dev.ludus.agents.djl;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.ParameterList;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.function.Function;

/**
 * A small decoder-only transformer language model on DJL (PyTorch engine): the handle that both the
 * {@code djl-lm} agent (generation) and a learner (training) hold.
 *
 * <p>Design: a facade over types with one job each. One DJL {@link Model} owns one {@link CausalLmBlock} (the
 * built-in {@code TransformerLm} or an {@link Architecture}'s) whose parameters live on {@link #device()};
 * {@link WeightsLock} keeps generation and updates apart and counts the {@linkplain #version() policy version} that
 * stamps every token the agent produces; {@link LmCheckpoint} reads and writes checkpoints; {@link LmWeights} draws
 * and copies weights; {@link BatchScoring} answers the convenience methods for plain id sequences; the learner's view
 * is {@link TrainablePolicy}, which this model is with no token excluded from its distribution
 * ({@link DjlLmAgent#trainable()} gives the view whose distribution is the agent's sampler's).
 *
 * <p>Locking: forward passes, log-prob recomputation, generation, copies and {@link #save} hold the read lock (so
 * many run at once); {@link #update} holds the write lock while it changes the weights and then bumps the version. A
 * whole batched generation holds the read lock from its first to its last token, so one reply never mixes two
 * policies.
 *
 * <p>Optionally ({@link Spec#copy()}) the built-in transformer's head is a copy (pointer) head ({@link CopyHead}): its
 * outputs are then normalized log-probabilities of a mixture of the vocabulary distribution and a distribution over
 * the tokens already read, which every consumer's softmax leaves as they are.
 *
 * <p>Optionally ({@link Spec#valueHead()}) the model is also a critic: a scalar value head on the same final
 * hidden states as the vocabulary head (one shared trunk, as TRL's {@code AutoModelForCausalLMWithValueHead}).
 * Generation never computes it; {@link #stateValues} gives the value of the state at the end of each prompt,
 * {@link #values} and {@link #logitsAndValues} give a learner the values of every position.
 *
 * <p>Thread-safety: the convenience methods ({@link #forward(List)}, {@link #logProbs(int[], int[])},
 * {@link #stateValues}) and {@link #update}, {@link #save}, {@link #version()} are thread-safe. The NDArray
 * methods ({@link #logits(ParameterStore, NDArray, NDArray, boolean)}, {@link #tokenLogProbs}, {@link #values},
 * {@link #logitsAndValues}, {@link #logitsAt}) take no lock: they are for a learner, which computes its loss and
 * gradients with them (reads) and applies its optimizer step inside {@link #update}.
 *
 * <p>Life-cycle: holds native memory; whoever created it closes it ({@link #close()} is idempotent and waits
 * for running forward passes). An agent built from a configuration owns its model; an agent given a model
 * does not.
 */
public final class LanguageModel implements TrainablePolicy {
  /** The additive logit that excludes a token or masks an attention cell. */
  static final float MASKED = -1e9f;

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
   * @param positions how the built-in transformer tells positions apart (null: {@link Positions#LEARNED}); other
   *     architectures keep their own
   * @param copy whether the built-in transformer's head mixes its vocabulary distribution with a copy (pointer)
   *     distribution over the tokens read so far ({@link CopyHead}); other architectures refuse it
   */
  public record Spec(int layers, int width, int heads, int context, int vocabSize, boolean valueHead,
      Positions positions, boolean copy) {
    /** An architecture without a value head. */
    public Spec(int layers, int width, int heads, int context, int vocabSize) {
      this(layers, width, heads, context, vocabSize, false);
    }

    /** An architecture with learned absolute positions, as before rotary positions existed. */
    public Spec(int layers, int width, int heads, int context, int vocabSize, boolean valueHead) {
      this(layers, width, heads, context, vocabSize, valueHead, Positions.LEARNED);
    }

    /** An architecture without the copy head, as before it existed. */
    public Spec(int layers, int width, int heads, int context, int vocabSize, boolean valueHead,
        Positions positions) {
      this(layers, width, heads, context, vocabSize, valueHead, positions, false);
    }

    public Spec {
      positions = positions == null ? Positions.LEARNED : positions;
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
      return new Spec(layers, width, heads, context, vocabSize, on, positions, copy);
    }

    static void range(String field, long value, long min, long max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(field + " must be in [" + min + ", " + max + "], was " + value);
      }
    }
  }

  /** How the built-in transformer tells positions apart. */
  public enum Positions {
    /** A learned embedding per absolute position, added to the token's (GPT-2's; the default). */
    LEARNED,
    /**
     * Rotary embeddings on each layer's queries and keys ({@link Rotary}): attention sees distances, not places, so
     * a pattern learnt at one place of the context holds at every other (copying a name from a prompt, say).
     */
    ROTARY;

    /** The name a configuration and a checkpoint use: {@code learned} or {@code rotary}. */
    public String configName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The positions named {@code name} ({@link #configName}).
     *
     * @throws IllegalArgumentException naming what was given and what is allowed
     */
    public static Positions parse(String name) {
      for (Positions p : values()) {
        if (p.configName().equals(name)) {
          return p;
        }
      }
      throw new IllegalArgumentException("positions must be one of learned, rotary, was '" + name + "'");
    }
  }

  /**
   * The outputs of both heads for one batch.
   *
   * @param logits (B, T, V)
   * @param values (B, T)
   */
  public record Heads(NDArray logits, NDArray values) {}

  private final Spec spec;
  private final Model model;
  private final CausalLmBlock block;
  /** The architecture when it is not the built-in transformer, else null. */
  private final Architecture architecture;
  private final WeightsLock weights;
  private volatile String lastForwardThread = "";

  private LanguageModel(Spec spec, Architecture architecture, Device device, long version) {
    this.spec = spec;
    this.weights = new WeightsLock(version);
    this.architecture = architecture;
    this.block = architecture == null ? new TransformerLm(spec) : architecture.newBlock(spec);
    this.model = Model.newInstance(LmCheckpoint.NAME, device, DjlRuntime.ENGINE);
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
    if (spec.copy()) {
      throw new IllegalArgumentException("copy: true needs the built-in transformer; architecture '"
          + architecture.name() + "' has no copy head");
    }
    return create(spec, architecture, DjlRuntime.device(device), seed, 0, true);
  }

  /** A new model; the built-in architecture always draws its weights, another one only if {@code initialWeights}. */
  private static LanguageModel create(Spec spec, Architecture architecture, Device device, long seed, long version,
      boolean initialWeights) {
    LanguageModel lm = new LanguageModel(spec, architecture, device, version);
    try {
      DjlRuntime.runWithoutGrad(() -> {
        LmWeights.describeInputs(lm.block, lm.model.getNDManager());
        if (architecture == null) {
          LmWeights.drawGpt2(lm.block, spec.layers(), seed);
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
    LmCheckpoint.Header header = LmCheckpoint.readHeader(directory);
    LanguageModel lm = new LanguageModel(header.spec(), header.architecture(), DjlRuntime.device(device),
        header.version());
    try {
      LmCheckpoint.readWeights(lm.model, lm.block, directory);
    } catch (IOException | MalformedModelException | RuntimeException e) {
      lm.close();
      throw new IllegalArgumentException("cannot load checkpoint " + directory + ": " + e.getMessage(), e);
    }
    return lm;
  }

  /**
   * The tokenizer a checkpoint saved by {@link #save} keeps beyond its {@code tokenizer.json}, when its architecture
   * has one ({@link Architecture#tokenizer}); empty for the built-in architecture or a directory that is no
   * checkpoint. The caller closes it.
   */
  public static Optional<LmTokenizer> checkpointTokenizer(Path directory) {
    return LmCheckpoint.tokenizer(directory);
  }

  /**
   * A frozen copy: a new model with this one's architecture, weights (copied under the read lock, so of one
   * version), version and device. No token is excluded from a {@code LanguageModel}'s distribution. The caller
   * closes both.
   */
  @Override
  public LanguageModel frozenCopy() {
    return copy(spec, 0, false);
  }

  /** A model saved by {@link #save}, loaded on this model's device. */
  @Override
  public LanguageModel loadFrozen(Path directory) {
    return load(directory, device().isGpu() ? "gpu:" + device().getDeviceId() : "cpu");
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
    return copy(spec.withValueHead(true), seed, true);
  }

  /** A new model of {@code outSpec} with this one's version and, under the read lock, its weights. */
  private LanguageModel copy(Spec outSpec, long seed, boolean initialWeights) {
    Lock read = readLock();
    try {
      LanguageModel out = create(outSpec, architecture, device(), seed, weights.version(), initialWeights);
      try {
        LmWeights.copy(block, out.block);
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
   * Writes the parameters ({@code djl-lm-0000.params}, DJL's format; the value head's too, when there is one)
   * and the architecture and policy version ({@code djl-lm.json}) into {@code directory}, creating it. Runs under the
   * read lock, so the weights saved are those of exactly one version.
   */
  @Override
  public void save(Path directory) {
    Lock read = readLock();
    try {
      LmCheckpoint.write(directory, model, block, new LmCheckpoint.Header(spec, architecture, weights.version()));
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
  public Optional<Architecture> architecture() {
    return Optional.ofNullable(architecture);
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

  /** The manager that owns the parameters (a learner's sub-managers go under it; never close it). */
  @Override
  public NDManager manager() {
    return model.getNDManager();
  }

  /** The policy version: 0 for a new model, the saved value for a loaded one, plus one per {@link #update}. */
  @Override
  public long version() {
    return weights.version();
  }

  /**
   * Changes the weights exclusively: waits for running generations and forward passes, runs {@code change}
   * (an optimizer step, a copy of new weights) with autograd off, and increments the policy version, which it
   * returns.
   */
  @Override
  public long update(Runnable change) {
    return weights.update(change);
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
    return BatchScoring.teacherForced(logits(ps, tokenIds, attentionMask, training), tokenIds);
  }

  /** Whether this model has a value head ({@link Spec#valueHead()}). */
  @Override
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
      throw CausalLmBlock.noValueHead();
    }
    NDList out = block.logitsAt(ps, inputs(tokenIds, attentionMask), cells, withValues, training);
    return new Heads(out.get(0), withValues ? out.get(1) : null);
  }

  /**
   * The logits (1, N, V) at the flat cells {@code cells} (N, int64, each {@code b · T + t}) of one pass over
   * {@code blockInputs} laid out as {@link CausalLmBlock}'s (ids, positions, an additive mask (B, 1, T, Tk), then
   * optionally per layer the cached keys and values): for a caller that builds its own attention pattern, such as a
   * scorer that packs many sequences into a row. Only those cells are projected onto the vocabulary. Takes no lock.
   */
  public NDArray logitsAt(ParameterStore ps, NDList blockInputs, NDArray cells) {
    return block.logitsAt(ps, blockInputs, cells, false, false).get(0);
  }

  /**
   * The values (B, T) of one pass over {@code blockInputs} laid out as for {@link #logitsAt(ParameterStore, NDList,
   * NDArray)} (ids, positions, an additive mask, optionally cached keys and values): for a scorer that packs many
   * sequences into a row. The vocabulary head is not computed. Takes no lock.
   *
   * @throws IllegalStateException if the model has no value head
   */
  public NDArray values(ParameterStore ps, NDList blockInputs) {
    return block.values(ps, blockInputs, false);
  }

  /**
   * The value of the state at the end of each prompt (the value head's output at its last token: the state
   * in which the agent writes its turn), batched into one forward pass without the vocabulary head.
   * Thread-safe: runs under the read lock, so the values are those of one policy version.
   *
   * @throws IllegalStateException if the model has no value head
   */
  @Override
  public float[] stateValues(List<int[]> prompts) {
    return BatchScoring.stateValues(this, prompts);
  }

  /** The logits of each sequence, batched into one forward pass: {@code [sequence][position][token]}. */
  public float[][][] forward(List<int[]> sequences) {
    return BatchScoring.forward(this, sequences);
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
    return logProbs(prompts, outputs, ones);
  }

  /**
   * The log-probability of each output token after its prompt in {@code softmax(logits / temperatures[i])}: what a
   * sampler at that temperature (without top-k or top-p) gives it.
   */
  @Override
  public float[][] logProbs(List<int[]> prompts, List<int[]> outputs, double[] temperatures) {
    return BatchScoring.logProbs(this, prompts, outputs, temperatures, BatchScoring.NO_EXCLUSIONS);
  }

  private NDList inputs(NDArray tokenIds, NDArray attentionMask) {
    return AttentionInputs.of(tokenIds, attentionMask, spec.context());
  }

  /**
   * One raw forward pass for generation: the logits (B, 1, V) at each sequence's last position, then per layer
   * the keys and values of every position (see {@link CausalLmBlock#lastLogits}). The caller holds the read lock
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

  /**
   * Takes the read lock (the caller unlocks it).
   *
   * @throws IllegalStateException if the model is closed
   */
  Lock readLock() {
    return weights.read();
  }

  /** Whether an update waits for the weights (see {@link WeightsLock#contended}). */
  boolean updateWaiting() {
    return weights.contended();
  }

  /**
   * Runs {@code body} under the read lock (so on one policy version), without autograd, on a sub-manager closed
   * afterwards: for a scorer that makes its own passes with the lock-free NDArray methods. {@code body} must not keep
   * arrays of that manager.
   */
  public <T> T inference(Function<NDManager, T> body) {
    Lock read = readLock();
    try (NDManager m = model.getNDManager().newSubManager()) {
      lastForwardThread = Thread.currentThread().getName();
      return DjlRuntime.withoutGrad(() -> body.apply(m));
    } finally {
      read.unlock();
    }
  }

  @Override
  public void close() {
    weights.close(model::close);
  }

  @Override
  public String toString() {
    return "LanguageModel" + spec + " on " + device() + ", version " + weights.version();
  }
}
