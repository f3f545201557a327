package dev.ludus.agents.hf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * LoRA adapters in PEFT's file layout, which {@code PeftModel.from_pretrained(base, dir)} loads:
 * {@code adapter_config.json} ({@code peft_type LORA}, {@code r}, {@code lora_alpha}, {@code lora_dropout},
 * {@code target_modules}, {@code base_model_name_or_path}, {@code task_type CAUSAL_LM}) and
 * {@code adapter_model.safetensors}, whose tensors are named {@code base_model.model.<module>.lora_A.weight} and
 * {@code ...lora_B.weight}. Stateless.
 */
final class PeftAdapters {
  static final String CONFIG = "adapter_config.json";
  static final String WEIGHTS = "adapter_model.safetensors";
  static final String PREFIX = "base_model.model.";

  private PeftAdapters() {}

  /**
   * Reads adapters saved in PEFT's layout into the decoder's adapter parameters (every one must be present, with its
   * shape).
   */
  static void load(HfDecoder decoder, Path directory) {
    Path file = directory.resolve(WEIGHTS);
    if (!Files.isRegularFile(file)) {
      throw new dev.ludus.api.ConfigException("adapter directory " + directory + " has no " + WEIGHTS);
    }
    NDManager root = decoder.namedParameters().values().iterator().next().getArray().getManager();
    try (NDManager scratch = root.newSubManager()) {
      Map<String, NDArray> tensors = SafeTensors.read(file, scratch);
      for (Map.Entry<String, Parameter> p : decoder.namedParameters().entrySet()) {
        if (!p.getKey().contains(".lora_")) {
          continue;
        }
        NDArray t = tensors.get(PREFIX + p.getKey());
        if (t == null || !t.getShape().equals(p.getValue().getArray().getShape())) {
          throw new dev.ludus.api.ConfigException(file + " has no " + PREFIX + p.getKey() + " of shape "
              + p.getValue().getArray().getShape() + (t == null ? "" : " (its shape is " + t.getShape() + ")"));
        }
        p.getValue().getArray().set(t.toFloatArray());
      }
    }
  }

  /** The adapters' settings in a PEFT {@code adapter_config.json}. */
  static LoraConfig config(Path directory) {
    Path file = directory.resolve(CONFIG);
    if (!Files.isRegularFile(file)) {
      throw new dev.ludus.api.ConfigException("adapter directory " + directory + " has no " + CONFIG);
    }
    try {
      com.fasterxml.jackson.databind.JsonNode c = new ObjectMapper().readTree(file.toFile());
      if (!c.path("peft_type").asText("LORA").equals("LORA")) {
        throw new dev.ludus.api.ConfigException(file + " is a " + c.path("peft_type").asText()
            + " adapter; only LORA is read");
      }
      java.util.List<String> targets = new java.util.ArrayList<>();
      c.path("target_modules").forEach(t -> targets.add(t.asText()));
      return new LoraConfig(c.path("r").asInt(8), c.path("lora_alpha").asDouble(8), c.path("lora_dropout").asDouble(0),
          targets);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Writes the decoder's adapters (trained weights as they are now) into {@code directory}. */
  static void save(HfDecoder decoder, Path base, Path directory) {
    LoraConfig lora = decoder.lora();
    ObjectNode c = new ObjectMapper().createObjectNode();
    c.put("peft_type", "LORA");
    c.put("task_type", "CAUSAL_LM");
    c.put("base_model_name_or_path", base.toAbsolutePath().toString());
    c.put("r", lora.rank());
    c.put("lora_alpha", lora.alpha());
    c.put("lora_dropout", lora.dropout());
    c.put("bias", "none");
    c.put("fan_in_fan_out", false);
    c.put("inference_mode", true);
    c.putArray("target_modules").addAll(lora.targetModules().stream()
        .map(com.fasterxml.jackson.databind.node.TextNode::new).toList());
    NDManager root = decoder.namedParameters().values().iterator().next().getArray().getManager();
    try (NDManager scratch = root.newSubManager()) {
      Map<String, NDArray> tensors = new LinkedHashMap<>();
      for (Map.Entry<String, Parameter> p : decoder.namedParameters().entrySet()) {
        if (p.getKey().contains(".lora_")) {
          NDArray copy = p.getValue().getArray().duplicate();
          copy.attach(scratch);
          tensors.put(PREFIX + p.getKey(), copy);
        }
      }
      Files.createDirectories(directory);
      new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(directory.resolve(CONFIG).toFile(), c);
      SafeTensors.write(directory.resolve(WEIGHTS), tensors);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write adapters to " + directory + ": " + e.getMessage(), e);
    }
  }
}
