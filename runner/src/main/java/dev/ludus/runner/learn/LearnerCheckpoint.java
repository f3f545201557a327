package dev.ludus.runner.learn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ludus.agents.djl.LanguageModel;
import dev.ludus.agents.djl.TrainablePolicy;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The layout of a learner checkpoint, and how to read its models back. A checkpoint is one directory,
 * written atomically by {@link PolicyLearner#save(Path)} (see {@link AtomicDirectory}: a temporary sibling
 * renamed into place, so the name never shows a partial checkpoint):
 * <pre>
 *   policy/          the policy's weights, architecture and version ({@link LanguageModel#save})
 *   reference/       the frozen reference model, when the learner has one
 *   optimizer.bin    AdamW's step count and both moments of every parameter (float32, exact)
 *   demonstrations.bin  the PPO-ptx term's demonstrations, when the learner has them (count, then each one's
 *                    prompt and target ids, each a length and its ints)
 *   learner.json     the counters (optimizer steps, samples, tokens), the policy version, the configuration
 * </pre>
 * Resuming: {@code policy = loadPolicy(dir, device)} (or the agent's model loaded from {@code policy/}),
 * {@code reference = loadReference(dir, policy)}, then {@link PolicyLearner#resume}. The next update then gives the same weights, bit for bit on the same device
 * and thread count, as a run that was never interrupted.
 *
 * <p>Stateless and thread-safe. Whoever loads a model closes it.
 */
public final class LearnerCheckpoint {
  public static final String POLICY = "policy";
  public static final String REFERENCE = "reference";
  public static final String OPTIMIZER = "optimizer.bin";
  public static final String STATE = "learner.json";
  public static final String DEMONSTRATIONS = "demonstrations.bin";
  static final int FORMAT = 1;
  static final ObjectMapper JSON = new ObjectMapper();

  private LearnerCheckpoint() {}

  /** The policy saved in checkpoint {@code directory}, on {@code device} ({@code auto}, {@code cpu}, {@code gpu}). */
  public static LanguageModel loadPolicy(Path directory, String device) {
    requireCheckpoint(directory);
    return LanguageModel.load(directory.resolve(POLICY), device);
  }

  /** The reference model saved in checkpoint {@code directory}, if the learner had one. */
  public static Optional<LanguageModel> loadReference(Path directory, String device) {
    requireCheckpoint(directory);
    Path ref = directory.resolve(REFERENCE);
    return Files.isDirectory(ref) ? Optional.of(LanguageModel.load(ref, device)) : Optional.empty();
  }

  /**
   * The reference model saved in checkpoint {@code directory}, if the learner had one, loaded as {@code policy}
   * loads a frozen model ({@link TrainablePolicy#loadFrozen}: its device and sampling distribution).
   */
  public static Optional<TrainablePolicy> loadReference(Path directory, TrainablePolicy policy) {
    requireCheckpoint(directory);
    Path ref = directory.resolve(REFERENCE);
    return Files.isDirectory(ref) ? Optional.of(policy.loadFrozen(ref)) : Optional.empty();
  }

  /** Whether {@code directory} holds a complete checkpoint (its state file is written last). */
  public static boolean exists(Path directory) {
    return Files.isRegularFile(directory.resolve(STATE)) && !AtomicDirectory.isLeftover(directory.toAbsolutePath());
  }

  /**
   * A frozen copy of {@code model} for a KL reference: same architecture, weights and version, on the same
   * device ({@link LanguageModel#frozenCopy}). The caller closes it.
   */
  public static LanguageModel frozenCopy(LanguageModel model) {
    return model.frozenCopy();
  }

  /** Writes {@code demonstrations} to {@code file} (see the layout above). */
  static void writeDemonstrations(Path file, List<Demonstration> demonstrations) throws IOException {
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
      out.writeInt(demonstrations.size());
      for (Demonstration d : demonstrations) {
        writeIds(out, d.promptIds());
        writeIds(out, d.targetIds());
      }
    }
  }

  /** The demonstrations {@link #writeDemonstrations} wrote to {@code file}. */
  static List<Demonstration> readDemonstrations(Path file) throws IOException {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      int n = in.readInt();
      if (n < 0) {
        throw new IOException(file + " says it holds " + n + " demonstrations");
      }
      List<Demonstration> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(new Demonstration(readIds(in), readIds(in)));
      }
      return out;
    }
  }

  private static void writeIds(DataOutputStream out, int[] ids) throws IOException {
    out.writeInt(ids.length);
    for (int id : ids) {
      out.writeInt(id);
    }
  }

  private static int[] readIds(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > 1 << 24) {
      throw new IOException("a demonstration of " + n + " ids");
    }
    int[] ids = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = in.readInt();
    }
    return ids;
  }

  static JsonNode readState(Path directory) {
    requireCheckpoint(directory);
    try {
      JsonNode state = JSON.readTree(directory.resolve(STATE).toFile());
      int format = state.path("format").asInt(-1);
      if (format != FORMAT) {
        throw new IllegalArgumentException("checkpoint " + directory + " has state format " + format + ", expected "
            + FORMAT);
      }
      return state;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + directory.resolve(STATE) + ": " + e.getMessage(), e);
    }
  }

  private static void requireCheckpoint(Path directory) {
    if (!exists(directory)) {
      throw new IllegalArgumentException(directory + " is not a complete learner checkpoint (no " + STATE + ")");
    }
  }
}
