package dev.ludus.agents.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ludus.agents.djl.LanguageModel;
import dev.ludus.api.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Hugging Face model directories on local disk (nothing is downloaded): {@code config.json}, the weights in
 * {@code model.safetensors} or shards listed by {@code model.safetensors.index.json}, and for an agent
 * {@code tokenizer.json}, {@code tokenizer_config.json} (with its {@code chat_template}) and optionally
 * {@code generation_config.json}. Supported {@code model_type}s: {@link HfConfig#SUPPORTED}.
 *
 * <p>A loaded model is a {@link LanguageModel} like the built-in one: the {@code djl-lm} agent generates with it
 * (batched, with a key/value cache, recording token ids and log-probs), a learner trains it ({@code TrainablePolicy}:
 * with LoRA only the adapters and a value head require gradients) and checkpoints save and load it. Stateless.
 */
public final class HfModels {
  /** The prefix of a {@code djl-lm} {@code checkpoint} that names a Hugging Face model directory. */
  public static final String PREFIX = "hf:";
  static final String CONFIG = "config.json";

  private HfModels() {}

  /**
   * The model in {@code directory}, in fp32 on {@code device}, with LoRA adapters when {@code lora} is not null (the
   * base weights are then frozen) and a fresh value head when asked.
   *
   * @param device {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}
   * @throws ConfigException naming the missing file, an unsupported {@code model_type} (listing the supported ones)
   *     or a missing or misshapen weight
   */
  public static LanguageModel load(Path directory, String device, LoraConfig lora, boolean valueHead, long seed) {
    return load(directory, device, lora, valueHead, seed, java.util.Map.of());
  }

  static LanguageModel load(Path directory, String device, LoraConfig lora, boolean valueHead, long seed,
      java.util.Map<String, Object> templateVariables) {
    HfArchitecture architecture = architecture(directory, lora, templateVariables);
    return LanguageModel.create(architecture, architecture.spec(valueHead), device, seed);
  }

  /**
   * The model in {@code directory} with the LoRA adapters saved in PEFT's layout in {@code adapters}
   * ({@code adapter_config.json} and {@code adapter_model.safetensors}, as a LoRA checkpoint holds them).
   */
  public static LanguageModel loadWithAdapters(Path directory, Path adapters, String device, boolean valueHead,
      long seed) {
    return loadWithAdapters(directory, adapters, device, valueHead, seed, java.util.Map.of());
  }

  static LanguageModel loadWithAdapters(Path directory, Path adapters, String device, boolean valueHead, long seed,
      java.util.Map<String, Object> templateVariables) {
    LanguageModel model = load(directory, device, PeftAdapters.config(adapters), valueHead, seed, templateVariables);
    try {
      model.update(() -> PeftAdapters.load((HfDecoder) model.block(), adapters));
      return model;
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /**
   * Writes {@code model} as a plain Hugging Face model directory: its {@code config.json}, the weights in
   * {@code model.safetensors} with every LoRA adapter merged ({@code W + alpha/rank * B A}, so the directory loads
   * without PEFT and gives the adapted model's logits), and the source directory's tokenizer and generation files.
   * The value head, if any, is left out. It reads the weights without the model's lock: call it between updates.
   *
   * @throws IllegalArgumentException if {@code model} is not a Hugging Face model
   */
  public static void exportMerged(LanguageModel model, Path out) {
    HfArchitecture architecture = model.architecture().filter(HfArchitecture.class::isInstance)
        .map(HfArchitecture.class::cast)
        .orElseThrow(() -> new IllegalArgumentException("not a Hugging Face model: " + model));
    MergedExport.write((HfDecoder) model.block(), architecture, out);
  }

  /** The parsed {@code config.json} of {@code directory}. */
  public static HfConfig config(Path directory) {
    return HfConfig.parse(readJson(directory, CONFIG));
  }

  static HfArchitecture architecture(Path directory, LoraConfig lora) {
    return architecture(directory, lora, java.util.Map.of());
  }

  static HfArchitecture architecture(Path directory, LoraConfig lora, java.util.Map<String, Object> variables) {
    if (!Files.isDirectory(directory)) {
      throw new ConfigException("Hugging Face model directory " + directory + " does not exist");
    }
    JsonNode config = readJson(directory, CONFIG);
    HfArchitecture architecture = new HfArchitecture(config, directory, lora, variables);
    SafeTensors.weightFiles(directory); // fails early naming a missing weights file
    return architecture;
  }

  /** The JSON file {@code name} of {@code directory}. */
  static JsonNode readJson(Path directory, String name) {
    Path file = directory.resolve(name);
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("Hugging Face model directory " + directory + " has no " + name);
    }
    try {
      return new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new ConfigException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
