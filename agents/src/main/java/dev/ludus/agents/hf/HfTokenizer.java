package dev.ludus.agents.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ludus.agents.djl.LmTokenizer;
import dev.ludus.agents.djl.PromptRenderer;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;

/**
 * The tokenizer of a Hugging Face model directory: {@code tokenizer.json} through DJL's native tokenizers library
 * (offline), with the special tokens and chat template of {@code tokenizer_config.json} and the end tokens of
 * {@code generation_config.json}.
 *
 * <p>End of turn: the end-of-sequence candidates are {@code generation_config.json}'s {@code eos_token_id}s and
 * {@code tokenizer_config.json}'s {@code eos_token}; the one the chat template writes (Qwen's {@code <|im_end|>},
 * Llama 3's {@code <|eot_id|>}) is {@link #eosId()}, which ends a generated turn. The sampler never emits the other
 * special tokens ({@code special: true} in {@code added_tokens}, e.g. {@code <|endoftext|>}) nor the ids between the
 * tokenizer's vocabulary and the model's (embedding rows padded for speed); added tokens that are not special (Qwen3's
 * {@code <think>}, {@code <tool_call>}) are ordinary text. {@link #vocabSize()} is the model's.
 *
 * <p>Thread-safe; holds native memory until closed.
 */
final class HfTokenizer implements LmTokenizer {
  static final String TOKENIZER = "tokenizer.json";
  static final String TOKENIZER_CONFIG = "tokenizer_config.json";
  static final String GENERATION_CONFIG = "generation_config.json";

  private final LmTokenizer delegate;
  private final int vocabSize;
  private final int eos;
  private final int pad;
  private final int bos;
  private final int[] specials;
  private final HfChatTemplate template;

  private HfTokenizer(LmTokenizer delegate, int vocabSize, int eos, int pad, int bos, int[] specials,
      String chatTemplate, Map<String, Object> variables) {
    this.delegate = delegate;
    this.vocabSize = vocabSize;
    this.eos = eos;
    this.pad = pad;
    this.bos = bos;
    this.specials = specials;
    this.template = chatTemplate == null ? null : new HfChatTemplate(chatTemplate, variables, this);
  }

  /**
   * The tokenizer of {@code directory} for a model of {@code modelVocabSize} token ids.
   *
   * @param variables extra chat-template variables (e.g. {@code enable_thinking: false} for Qwen3)
   * @throws ConfigException naming a missing {@code tokenizer.json} or {@code tokenizer_config.json}, or a tokenizer
   *     larger than the model's vocabulary
   */
  static HfTokenizer load(Path directory, int modelVocabSize, Map<String, Object> variables) {
    Path json = directory.resolve(TOKENIZER);
    if (!Files.isRegularFile(json)) {
      throw new ConfigException("Hugging Face model directory " + directory + " has no " + TOKENIZER);
    }
    JsonNode config = HfModels.readJson(directory, TOKENIZER_CONFIG);
    JsonNode generation = Files.isRegularFile(directory.resolve(GENERATION_CONFIG))
        ? HfModels.readJson(directory, GENERATION_CONFIG) : null;
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json.toFile());
    } catch (IOException e) {
      throw new ConfigException("cannot read " + json + ": " + e.getMessage(), e);
    }
    Map<String, Integer> ids = new HashMap<>();
    for (Map.Entry<String, JsonNode> e : root.path("model").path("vocab").properties()) {
      ids.put(e.getKey(), e.getValue().asInt());
    }
    TreeSet<Integer> special = new TreeSet<>();
    int largest = ids.values().stream().mapToInt(Integer::intValue).max().orElse(-1);
    for (JsonNode added : root.path("added_tokens")) {
      ids.put(added.path("content").asText(), added.path("id").asInt());
      largest = Math.max(largest, added.path("id").asInt());
      if (added.path("special").asBoolean(false)) {
        special.add(added.path("id").asInt());
      }
    }
    if (largest + 1 > modelVocabSize) {
      throw new ConfigException(json + " has " + (largest + 1) + " token ids but the model only " + modelVocabSize);
    }
    String chatTemplate = chatTemplate(directory, config);
    List<Integer> eosCandidates = new ArrayList<>();
    if (generation != null) {
      JsonNode e = generation.path("eos_token_id");
      if (e.isArray()) {
        e.forEach(x -> eosCandidates.add(x.asInt()));
      } else if (e.canConvertToInt()) {
        eosCandidates.add(e.asInt());
      }
    }
    Integer configEos = ids.get(token(config.path("eos_token")));
    if (configEos != null) {
      eosCandidates.add(configEos);
    }
    if (eosCandidates.isEmpty()) {
      throw new ConfigException(directory + ": neither " + TOKENIZER_CONFIG + " (eos_token) nor " + GENERATION_CONFIG
          + " (eos_token_id) names an end-of-sequence token");
    }
    Map<Integer, String> names = new HashMap<>();
    ids.forEach((k, v) -> names.put(v, k));
    int eos = eosCandidates.stream()
        .filter(id -> chatTemplate != null && names.containsKey(id) && chatTemplate.contains(names.get(id)))
        .findFirst().orElse(configEos != null ? configEos : eosCandidates.get(0));
    special.addAll(eosCandidates);
    Integer pad = ids.get(token(config.path("pad_token")));
    Integer bos = ids.get(token(config.path("bos_token")));
    for (int id = largest + 1; id < modelVocabSize; id++) {
      special.add(id);
    }
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("bos_token", bos == null ? "" : names.get(bos));
    vars.put("eos_token", configEos == null ? names.get(eos) : names.get(configEos));
    vars.putAll(variables);
    LmTokenizer delegate = LmTokenizer.huggingFace(json);
    return new HfTokenizer(delegate, modelVocabSize, eos, pad == null ? eos : pad, bos == null ? -1 : bos,
        special.stream().mapToInt(Integer::intValue).toArray(), chatTemplate, vars);
  }

  /** The chat template: {@code tokenizer_config.json}'s {@code chat_template}, else a {@code chat_template.jinja}. */
  private static String chatTemplate(Path directory, JsonNode config) {
    JsonNode t = config.path("chat_template");
    if (t.isTextual()) {
      return t.asText();
    }
    if (t.isArray()) { // a list of named templates: the default one
      for (JsonNode named : t) {
        if (named.path("name").asText().equals("default")) {
          return named.path("template").asText();
        }
      }
    }
    Path file = directory.resolve("chat_template.jinja");
    try {
      return Files.isRegularFile(file) ? Files.readString(file) : null;
    } catch (IOException e) {
      throw new ConfigException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** A special token's text, written as a string or as {@code {"content": ...}}. */
  private static String token(JsonNode n) {
    return n.isTextual() ? n.asText() : n.path("content").isTextual() ? n.path("content").asText() : null;
  }

  @Override
  public int vocabSize() {
    return vocabSize;
  }

  @Override
  public int[] encode(String text) {
    return delegate.encode(text);
  }

  @Override
  public String decode(int[] ids) {
    return delegate.decode(ids);
  }

  @Override
  public int padId() {
    return pad;
  }

  @Override
  public int bosId() {
    return bos;
  }

  @Override
  public int eosId() {
    return eos;
  }

  @Override
  public OptionalInt roleId(Role role) {
    return OptionalInt.empty();
  }

  /** Every special added token, every end-of-sequence candidate and the model's ids beyond the tokenizer's. */
  @Override
  public int[] specialIds() {
    return specials.clone();
  }

  @Override
  public String toJson() {
    return delegate.toJson();
  }

  @Override
  public Optional<PromptRenderer> chatTemplate() {
    return Optional.ofNullable(template);
  }

  /** The chat template's text for a conversation (what {@link #chatTemplate()} tokenizes). */
  Optional<HfChatTemplate> template() {
    return Optional.ofNullable(template);
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return "Hugging Face tokenizer with chat template (" + vocabSize + " ids, end of turn " + eos + ")";
  }
}
