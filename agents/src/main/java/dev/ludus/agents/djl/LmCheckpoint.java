package dev.ludus.agents.djl;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A model checkpoint on disk: the parameters in DJL's format ({@code djl-lm-0000.params}) and a header
 * ({@code djl-lm.json}) with the architecture ({@link LanguageModel.Spec}, and the name and description of an
 * {@link Architecture} other than the built-in one) and the policy version. A checkpoint written before value heads
 * existed has no {@code valueHead} entry and reads as a model without one, and one written before the copy head
 * existed has no {@code copy} entry and reads as a model without it. Stateless; the caller keeps the weights
 * still while they are written (holds the model's read lock).
 */
final class LmCheckpoint {
  /** The prefix of the parameter file, also the DJL model's name. */
  static final String NAME = "djl-lm";
  /** The header's file name. */
  static final String SPEC_FILE = "djl-lm.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private LmCheckpoint() {}

  /**
   * What a checkpoint's header says.
   *
   * @param spec the architecture's dimensions
   * @param architecture the architecture when it is not the built-in transformer, else null
   * @param version the policy version of the saved weights
   */
  record Header(LanguageModel.Spec spec, Architecture architecture, long version) {}

  /**
   * The header of the checkpoint in {@code directory}, its architecture read back by the {@link Architecture.Reader}
   * it names.
   *
   * @throws IllegalArgumentException if there is no readable header, or no plugin reads its architecture
   */
  static Header readHeader(Path directory) {
    ObjectNode meta = readMeta(directory);
    LanguageModel.Spec spec = new LanguageModel.Spec(meta.path("layers").asInt(), meta.path("width").asInt(),
        meta.path("heads").asInt(), meta.path("context").asInt(), meta.path("vocabSize").asInt(),
        meta.path("valueHead").asBoolean(false),
        LanguageModel.Positions.parse(meta.path("positions").asText("learned")), copy(meta, directory));
    return new Header(spec, architecture(meta, directory), meta.path("policyVersion").asLong());
  }

  /**
   * The tokenizer a checkpoint keeps beyond its {@code tokenizer.json}, when its architecture has one
   * ({@link Architecture#tokenizer}); empty for the built-in architecture or a directory that is no checkpoint.
   */
  static Optional<LmTokenizer> tokenizer(Path directory) {
    if (!Files.isRegularFile(directory.resolve(SPEC_FILE))) {
      return Optional.empty();
    }
    Architecture architecture = architecture(readMeta(directory), directory);
    return architecture == null ? Optional.empty() : architecture.tokenizer(directory);
  }

  /**
   * Reads the parameters saved in {@code directory} into {@code block}, built for the header's architecture, whose
   * trainable parameters then require gradients again.
   */
  static void readWeights(Model model, CausalLmBlock block, Path directory) throws IOException,
      MalformedModelException {
    model.load(directory, NAME);
    for (Parameter p : block.getParameters().values()) {
      if (p.requiresGradient()) {
        p.getArray().setRequiresGradient(true); // loading decodes plain arrays; a learner needs leaves with grad
      }
    }
    // a loaded block knows its input shapes but not its input names, and Model.save would then fail
    // ("key value size mismatch"); initializing again describes the inputs as a new model does, and leaves
    // every (already initialized) parameter as loaded
    LmWeights.describeInputs(block, model.getNDManager());
  }

  /**
   * Writes the parameters of {@code model} (whose block is {@code block}) and the header into {@code directory},
   * creating it; an architecture of its own also writes its extras ({@link Architecture#saveExtras}).
   *
   * @throws UncheckedIOException if the directory cannot be written
   */
  static void write(Path directory, Model model, CausalLmBlock block, Header header) {
    try {
      Files.createDirectories(directory);
      model.save(directory, NAME);
      LanguageModel.Spec spec = header.spec();
      ObjectNode meta = JSON.createObjectNode();
      meta.put("format", 1);
      meta.put("layers", spec.layers());
      meta.put("width", spec.width());
      meta.put("heads", spec.heads());
      meta.put("context", spec.context());
      meta.put("vocabSize", spec.vocabSize());
      meta.put("valueHead", spec.valueHead());
      if (spec.positions() != LanguageModel.Positions.LEARNED) {
        meta.put("positions", spec.positions().configName()); // left out as before, so older readers still read it
      }
      if (spec.copy()) {
        meta.put("copy", true); // left out without the head, as before it existed
      }
      meta.put("policyVersion", header.version());
      Architecture architecture = header.architecture();
      if (architecture != null) {
        meta.put("architecture", architecture.name());
        meta.set("architectureConfig", architecture.describe());
        architecture.saveExtras(block, directory);
      }
      JSON.writerWithDefaultPrettyPrinter().writeValue(directory.resolve(SPEC_FILE).toFile(), meta);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save checkpoint to " + directory + ": " + e.getMessage(), e);
    }
  }

  /** The header's {@code copy} entry: absent (a checkpoint from before the copy head) is false. */
  private static boolean copy(ObjectNode meta, Path directory) {
    com.fasterxml.jackson.databind.JsonNode copy = meta.path("copy");
    if (copy.isMissingNode() || copy.isNull()) {
      return false;
    }
    if (!copy.isBoolean()) {
      throw new IllegalArgumentException("checkpoint " + directory + ": " + SPEC_FILE
          + "'s copy must be true or false, was " + copy);
    }
    return copy.booleanValue();
  }

  private static Architecture architecture(ObjectNode meta, Path directory) {
    return meta.hasNonNull("architecture")
        ? ArchitectureReaders.read(meta.path("architecture").asText(), meta.path("architectureConfig"), directory)
        : null;
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
}
