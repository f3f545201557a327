package dev.ludus.agents.djl;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ludus.api.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A Hugging Face {@code tokenizer.json} behind DJL's native tokenizers library, which is unpacked from the
 * {@code ai.djl.huggingface:tokenizers} jar (nothing is downloaded). The vocabulary size and the special
 * token ids are read from the JSON itself, since the native tokenizer does not expose them.
 *
 * <p>Thread-safe (the native tokenizer only reads its state). Holds native memory until closed.
 */
final class HuggingFaceLmTokenizer implements LmTokenizer {
  private static final List<String> EOS = List.of("<eos>", "</s>", "<|endoftext|>", "<|im_end|>", "[SEP]");
  private static final List<String> BOS = List.of("<bos>", "<s>", "[CLS]");
  private static final List<String> PAD = List.of("<pad>", "[PAD]", "<|pad|>");
  private static final List<String> UNK = List.of("<unk>", "[UNK]", "<|unk|>");

  private final HuggingFaceTokenizer tokenizer;
  private final int vocabSize;
  private final int eos;
  private final int bos;
  private final int pad;
  private final Map<Role, Integer> roles;
  /** The model's {@code unk_token}, or -1. */
  private final int unk;
  /** A token named like an unknown token ({@code <unk>}, ...), special even when the model names no unk_token. */
  private final int unkNamed;
  private final String json;
  private final AtomicBoolean closed = new AtomicBoolean();

  private HuggingFaceLmTokenizer(HuggingFaceTokenizer tokenizer, Map<String, Integer> vocab, Path source, String json,
      String unkToken) {
    this.tokenizer = tokenizer;
    this.json = json;
    Integer u = unkToken == null ? null : vocab.get(unkToken);
    this.unk = u == null ? -1 : u;
    this.vocabSize = vocab.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
    this.eos = first(vocab, EOS);
    if (eos < 0) {
      tokenizer.close();
      throw new IllegalArgumentException("tokenizerJson " + source + " has no end-of-sequence token; expected one of "
          + EOS);
    }
    this.bos = first(vocab, BOS);
    int p = first(vocab, PAD);
    this.pad = p < 0 ? eos : p;
    this.unkNamed = first(vocab, UNK);
    Map<Role, Integer> r = new EnumMap<>(Role.class);
    for (Role role : Role.values()) {
      Integer id = vocab.get("<" + role.wireName() + ">");
      if (id != null) {
        r.put(role, id);
      }
    }
    this.roles = r;
  }

  static HuggingFaceLmTokenizer load(Path path) {
    DjlRuntime.offline();
    String json;
    JsonNode root;
    try {
      json = Files.readString(path, StandardCharsets.UTF_8);
      root = new ObjectMapper().readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read tokenizerJson " + path + ": " + e.getMessage(), e);
    }
    Map<String, Integer> vocab = readVocabulary(root, path);
    JsonNode unkToken = root.path("model").path("unk_token");
    HuggingFaceTokenizer t;
    try {
      t = HuggingFaceTokenizer.builder()
          .optTokenizerPath(path)
          .optAddSpecialTokens(false)
          .optTruncation(false)
          .optPadding(false)
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load tokenizerJson " + path + ": " + e.getMessage(), e);
    }
    return new HuggingFaceLmTokenizer(t, vocab, path, json, unkToken.isTextual() ? unkToken.asText() : null);
  }

  /** Token to id for the model's vocabulary and the added tokens (a Unigram vocabulary is a list of pairs). */
  static Map<String, Integer> readVocabulary(JsonNode root, Path path) {
    Map<String, Integer> vocab = new HashMap<>();
    JsonNode v = root.path("model").path("vocab");
    if (v.isObject()) {
      for (Map.Entry<String, JsonNode> e : v.properties()) {
        vocab.put(e.getKey(), e.getValue().asInt());
      }
    } else if (v.isArray()) {
      for (int i = 0; i < v.size(); i++) {
        vocab.put(v.get(i).path(0).asText(), i);
      }
    }
    for (JsonNode added : root.path("added_tokens")) {
      vocab.put(added.path("content").asText(), added.path("id").asInt());
    }
    if (vocab.isEmpty()) {
      throw new IllegalArgumentException("tokenizerJson " + path + " has no model.vocab and no added_tokens");
    }
    return vocab;
  }

  private static int first(Map<String, Integer> vocab, List<String> names) {
    for (String n : names) {
      Integer id = vocab.get(n);
      if (id != null) {
        return id;
      }
    }
    return -1;
  }

  @Override
  public int vocabSize() {
    return vocabSize;
  }

  @Override
  public int[] encode(String text) {
    long[] ids = tokenizer.encode(text, false, false).getIds();
    return Arrays.stream(ids).mapToInt(Math::toIntExact).toArray();
  }

  @Override
  public String decode(int[] ids) {
    return tokenizer.decode(Arrays.stream(ids).asLongStream().toArray(), true);
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
    Integer id = roles.get(role);
    return id == null ? OptionalInt.empty() : OptionalInt.of(id);
  }

  /** Padding, beginning, end, unknown (those it has, by {@code unk_token} or by name) and the role markers. */
  @Override
  public int[] specialIds() {
    int[] base = LmTokenizer.super.specialIds();
    if (unkNamed < 0 || Arrays.stream(base).anyMatch(i -> i == unkNamed)) {
      return base;
    }
    int[] out = Arrays.copyOf(base, base.length + 1);
    out[base.length] = unkNamed;
    Arrays.sort(out);
    return out;
  }

  /** The model's {@code unk_token}, when it names one (a byte-level BPE has none). */
  @Override
  public OptionalInt unkId() {
    return unk < 0 ? OptionalInt.empty() : OptionalInt.of(unk);
  }

  /** The text of the file it was loaded from. */
  @Override
  public String toJson() {
    return json;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      tokenizer.close();
    }
  }

  @Override
  public String toString() {
    return "Hugging Face tokenizer (" + vocabSize + " tokens)";
  }
}
