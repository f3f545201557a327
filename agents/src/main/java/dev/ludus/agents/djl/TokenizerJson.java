package dev.ludus.agents.djl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Hugging Face {@code tokenizer.json} format as the tokenizers here read and write it: one writer that
 * gives the same bytes for the same tokenizer (fields in a fixed order, two-space indent, {@code \n} line
 * ends, UTF-8), the reader that picks the implementation of a file ({@link LmTokenizer#read}), and the
 * comparison of two tokenizers. Stateless and thread-safe.
 */
final class TokenizerJson {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectWriter WRITER;

  static {
    DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
    DefaultPrettyPrinter pretty = new DefaultPrettyPrinter().withObjectIndenter(indenter).withArrayIndenter(indenter);
    WRITER = JSON.writer(pretty);
  }

  private TokenizerJson() {}

  static String write(JsonNode root) {
    try {
      return WRITER.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a tokenizer as JSON: " + e.getMessage(), e);
    }
  }

  /**
   * A {@code tokenizer.json} document up to its {@code model}, which the caller adds last: the fields every tokenizer
   * here writes, in the fixed order, with {@code specials} (token to id) as the added tokens in id order.
   *
   * @param preTokenizer the {@code pre_tokenizer}, or null
   * @param decoder the {@code decoder}, or null
   */
  static ObjectNode document(Map<String, Integer> specials, JsonNode preTokenizer, JsonNode decoder) {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    specials.entrySet().stream().sorted(Map.Entry.comparingByValue())
        .forEach(e -> added.add(addedToken(e.getValue(), e.getKey())));
    root.putNull("normalizer");
    root.set("pre_tokenizer", preTokenizer == null ? JSON.nullNode() : preTokenizer);
    root.putNull("post_processor");
    root.set("decoder", decoder == null ? JSON.nullNode() : decoder);
    return root;
  }

  /** An {@code added_tokens} entry for a special token that is matched as is. */
  static ObjectNode addedToken(int id, String content) {
    return JSON.createObjectNode().put("id", id).put("content", content).put("single_word", false)
        .put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", true);
  }

  static boolean nullOrAbsent(JsonNode node) {
    return node.isMissingNode() || node.isNull();
  }

  static boolean emptyOrAbsent(JsonNode node) {
    return nullOrAbsent(node) || (node.isTextual() && node.asText().isEmpty());
  }

  /**
   * The ids of the {@link LmTokenizer#SPECIAL_TOKENS}, when the file's added tokens are exactly those, all
   * special, and agree with {@code vocab} where it lists them too; empty otherwise.
   */
  static Optional<List<Integer>> specialTokens(JsonNode root, Map<String, Integer> vocab) {
    JsonNode added = root.path("added_tokens");
    if (!added.isArray() || added.size() != LmTokenizer.SPECIAL_TOKENS.size()) {
      return Optional.empty();
    }
    Map<String, Integer> byName = new HashMap<>();
    for (JsonNode a : added) {
      String content = a.path("content").asText();
      if (!a.path("special").asBoolean(false) || !a.path("id").canConvertToInt()
          || !LmTokenizer.SPECIAL_TOKENS.contains(content) || byName.put(content, a.path("id").asInt()) != null) {
        return Optional.empty();
      }
      Integer inVocab = vocab.get(content);
      if (inVocab != null && inVocab != a.path("id").asInt()) {
        return Optional.empty();
      }
      vocab.put(content, a.path("id").asInt());
    }
    List<Integer> ids = new ArrayList<>();
    for (String name : LmTokenizer.SPECIAL_TOKENS) {
      ids.add(byName.get(name));
    }
    return Optional.of(ids);
  }

  /** See {@link LmTokenizer#read}. */
  static LmTokenizer read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read tokenizer file " + file + ": " + e.getMessage(), e);
    }
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("tokenizer file " + file + " is not JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("tokenizer file " + file + " is not a JSON object");
    }
    Optional<? extends LmTokenizer> own = ByteLevelBpeTokenizer.fromJson(root);
    if (own.isEmpty()) {
      own = WordLevelTokenizer.fromJson(root);
    }
    return own.isPresent() ? own.get() : HuggingFaceLmTokenizer.load(file);
  }

  /** Writes {@code tokenizer}'s JSON to {@code file} through a temporary sibling renamed into place. */
  static void save(LmTokenizer tokenizer, Path file) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
      Files.writeString(tmp, tokenizer.toJson(), StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write tokenizer file " + file + ": " + e.getMessage(), e);
    }
  }

  /** Whether two tokenizers are the same: the same {@code tokenizer.json} content (field order aside). */
  static boolean same(LmTokenizer a, LmTokenizer b) {
    try {
      return JSON.readTree(a.toJson()).equals(JSON.readTree(b.toJson()));
    } catch (JsonProcessingException e) {
      return false;
    }
  }

  /**
   * The tokenizer's description with the start of its JSON's SHA-256, e.g.
   * {@code word-level tokenizer (44 tokens, sha256 1f2e3d4c)}.
   */
  static String describe(LmTokenizer t) {
    String d = t.toString();
    String fingerprint;
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(t.toJson().getBytes(StandardCharsets.UTF_8));
      fingerprint = "sha256 " + HexFormat.of().formatHex(hash, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return d.endsWith(")") ? d.substring(0, d.length() - 1) + ", " + fingerprint + ")" : d + " (" + fingerprint + ")";
  }
}
