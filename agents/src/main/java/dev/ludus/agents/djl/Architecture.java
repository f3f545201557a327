package dev.ludus.agents.djl;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;

/**
 * An architecture other than the built-in transformer that a {@link LanguageModel} can run (a Hugging Face Llama or
 * Qwen model, say): how its block is built, where its first weights come from, and how a saved checkpoint of it is
 * read back. The language model keeps everything else (locking, versions, generation, log-probs, saving the weights
 * in DJL's format), so an architecture's model is trained, sampled and checkpointed like the built-in one.
 *
 * <p>Saving writes {@link #name()} and {@link #describe()} into the checkpoint's {@code djl-lm.json}; loading finds
 * the {@link Reader} of that name through {@link java.util.ServiceLoader} ({@code
 * META-INF/services/dev.ludus.agents.djl.Architecture$Reader}) and rebuilds the block from the description before the
 * weights are read. Implementations are immutable and thread-safe.
 */
public interface Architecture {

  /** The name a checkpoint records, matched against {@link Reader#name()} on load. */
  String name();

  /** A new, uninitialized block of this architecture for {@code spec} (with a value head when it asks for one). */
  CausalLmBlock newBlock(LanguageModel.Spec spec);

  /**
   * Gives a new, initialized block its first weights (e.g. read from the model's files), with autograd off. A frozen
   * copy does not call it (the weights are copied).
   */
  void initializeWeights(CausalLmBlock block, long seed);

  /** What {@link Reader#read} needs to rebuild the block, saved in the checkpoint's {@code djl-lm.json}. */
  JsonNode describe();

  /** Writes files of the architecture's own beside a checkpoint's weights (adapters, say); nothing by default. */
  default void saveExtras(CausalLmBlock block, Path directory) {}

  /**
   * The tokenizer a checkpoint of this architecture in {@code directory} was saved with, when the architecture keeps
   * more than its {@code tokenizer.json} (a chat template, say); empty to read the {@code tokenizer.json} as usual.
   */
  default java.util.Optional<LmTokenizer> tokenizer(Path directory) {
    return java.util.Optional.empty();
  }

  /** Rebuilds an architecture from its {@link #describe() description}; registered through ServiceLoader. */
  interface Reader {
    /** The {@link Architecture#name()} it reads. */
    String name();

    /** The architecture a checkpoint in {@code directory} described as {@code description}. */
    Architecture read(JsonNode description, Path directory);
  }
}
