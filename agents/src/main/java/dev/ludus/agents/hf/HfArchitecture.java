package dev.ludus.agents.hf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.agents.djl.Architecture;
import dev.ludus.agents.djl.CausalLmBlock;
import dev.ludus.agents.djl.LanguageModel;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Seeds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A Hugging Face Llama, Qwen2 or Qwen3 model as a {@link LanguageModel} architecture: the block is an
 * {@link HfDecoder}; the first weights are read by name from the directory's safetensors (every base parameter must
 * be there; tensors the block does not use, such as a tied model's {@code lm_head.weight}, are ignored); adapters
 * start as PEFT starts them and a value head as the built-in one does. A checkpoint records the whole
 * {@code config.json}, the source directory and the adapters' settings, so it loads without the source; with LoRA it
 * also holds the adapters in PEFT's layout. Immutable.
 */
final class HfArchitecture implements Architecture {
  static final String NAME = "hf";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JsonNode configJson;
  private final HfConfig config;
  private final Path source;
  private final LoraConfig lora;
  private final Map<String, Object> templateVariables;

  HfArchitecture(JsonNode configJson, Path source, LoraConfig lora) {
    this(configJson, source, lora, Map.of());
  }

  HfArchitecture(JsonNode configJson, Path source, LoraConfig lora, Map<String, Object> templateVariables) {
    this.configJson = configJson;
    this.config = HfConfig.parse(configJson);
    this.source = source;
    this.lora = lora;
    this.templateVariables = Map.copyOf(templateVariables);
  }

  HfConfig config() {
    return config;
  }

  LoraConfig lora() {
    return lora;
  }

  Path source() {
    return source;
  }

  /** The model's {@code config.json} as read. */
  JsonNode configJson() {
    return configJson;
  }

  /** The language model's architecture summary: context capped at the largest the spec allows. */
  LanguageModel.Spec spec(boolean valueHead) {
    return new LanguageModel.Spec(config.layers(), config.hiddenSize(), config.heads(),
        Math.min(config.maxPositions(), 65536), config.vocabSize(), valueHead);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public CausalLmBlock newBlock(LanguageModel.Spec spec) {
    return new HfDecoder(config, spec, lora);
  }

  @Override
  public void initializeWeights(CausalLmBlock block, long seed) {
    HfDecoder decoder = (HfDecoder) block;
    Set<String> missing = new HashSet<>();
    for (Map.Entry<String, Parameter> p : decoder.namedParameters().entrySet()) {
      if (!p.getKey().contains("lora_") && !p.getKey().startsWith(HfDecoder.VALUE_HEAD)) {
        missing.add(p.getKey());
      }
    }
    NDManager root = decoder.namedParameters().values().iterator().next().getArray().getManager();
    for (Path file : SafeTensors.weightFiles(source)) {
      try (NDManager scratch = root.newSubManager()) {
        for (Map.Entry<String, NDArray> t : SafeTensors.read(file, scratch).entrySet()) {
          Parameter p = decoder.parameter(t.getKey());
          if (p == null || t.getKey().contains("lora_")) {
            continue;
          }
          if (!p.getArray().getShape().equals(t.getValue().getShape())) {
            throw new ConfigException(file + ": tensor " + t.getKey() + " has shape " + t.getValue().getShape()
                + " but config.json gives " + p.getArray().getShape());
          }
          p.getArray().set(t.getValue().toFloatArray());
          missing.remove(t.getKey());
        }
      }
    }
    if (!missing.isEmpty()) {
      List<String> names = new ArrayList<>(missing);
      names.sort(null);
      throw new ConfigException("Hugging Face model directory " + source + " lacks " + names.size() + " weight(s): "
          + names.subList(0, Math.min(5, names.size())) + (names.size() > 5 ? " ..." : ""));
    }
    int index = 0;
    for (Map.Entry<String, Parameter> p : decoder.namedParameters().entrySet()) {
      String name = p.getKey();
      NDArray a = p.getValue().getArray();
      float[] values = new float[Math.toIntExact(a.getShape().size())];
      Random rng = new Random(Seeds.mix(seed, index++));
      if (name.contains("lora_A")) {
        double bound = 1.0 / Math.sqrt(a.getShape().get(1)); // PEFT: kaiming_uniform_(a=sqrt(5))
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
        }
      } else if (name.equals(HfDecoder.VALUE_HEAD + ".weight")) {
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) (rng.nextGaussian() * 0.02);
        }
      } else if (!name.contains("lora_B") && !name.equals(HfDecoder.VALUE_HEAD + ".bias")) {
        continue;
      }
      a.set(values);
    }
  }

  @Override
  public JsonNode describe() {
    ObjectNode d = JSON.createObjectNode();
    d.set("config", configJson);
    d.put("source", source.toAbsolutePath().toString());
    d.set("templateVariables", JSON.valueToTree(templateVariables));
    if (lora != null) {
      ObjectNode l = d.putObject("lora");
      l.put("rank", lora.rank());
      l.put("alpha", lora.alpha());
      l.put("dropout", lora.dropout());
      l.set("targetModules", JSON.valueToTree(lora.targetModules()));
    }
    return d;
  }

  /** The adapters in PEFT's layout (with LoRA), and the tokenizer's configuration beside its tokenizer.json. */
  @Override
  public void saveExtras(CausalLmBlock block, Path directory) {
    if (lora != null) {
      PeftAdapters.save((HfDecoder) block, source, directory);
    }
    try {
      for (String f : List.of(HfTokenizer.TOKENIZER_CONFIG, HfTokenizer.GENERATION_CONFIG, "chat_template.jinja")) {
        Path from = source.resolve(f);
        if (java.nio.file.Files.isRegularFile(from)) {
          java.nio.file.Files.copy(from, directory.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot copy the tokenizer's configuration to " + directory, e);
    }
  }

  /** The model's tokenizer with its chat template, when the checkpoint holds the tokenizer's configuration. */
  @Override
  public java.util.Optional<dev.ludus.agents.djl.LmTokenizer> tokenizer(Path directory) {
    if (!java.nio.file.Files.isRegularFile(directory.resolve(HfTokenizer.TOKENIZER))
        || !java.nio.file.Files.isRegularFile(directory.resolve(HfTokenizer.TOKENIZER_CONFIG))) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(HfTokenizer.load(directory, config.vocabSize(), templateVariables));
  }

  /** Reads the {@code hf} architecture back from a checkpoint's description. */
  public static final class Reader implements Architecture.Reader {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public Architecture read(JsonNode description, Path directory) {
      JsonNode l = description.path("lora");
      LoraConfig lora = l.isObject() ? new LoraConfig(l.path("rank").asInt(), l.path("alpha").asDouble(),
          l.path("dropout").asDouble(), JSON.convertValue(l.path("targetModules"),
              JSON.getTypeFactory().constructCollectionType(List.class, String.class))) : null;
      Map<String, Object> vars = description.path("templateVariables").isObject()
          ? JSON.convertValue(description.path("templateVariables"),
              JSON.getTypeFactory().constructMapType(java.util.LinkedHashMap.class, String.class, Object.class))
          : Map.of();
      return new HfArchitecture(description.path("config"), Path.of(description.path("source").asText(".")), lora,
          vars);
    }
  }
}
