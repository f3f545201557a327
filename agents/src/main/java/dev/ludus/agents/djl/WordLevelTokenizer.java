package dev.ludus.agents.djl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.Role;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * A word-level tokenizer over a fixed vocabulary. Immutable and thread-safe.
 *
 * <p>Decoding joins pieces with single spaces, except before closing punctuation and after opening brackets,
 * so text made of vocabulary words written in that usual spacing round-trips exactly.
 */
final class WordLevelTokenizer implements LmTokenizer {
  static final Pattern PIECE = Pattern.compile("[\\p{L}\\p{N}_]+|[^\\p{L}\\p{N}_\\s]");
  private static final String NO_SPACE_BEFORE = ".,!?;:)]}%'";
  private static final String NO_SPACE_AFTER = "([{$";
  private static final int UNK = 3;

  private final List<String> tokens;
  private final Map<String, Integer> ids;

  WordLevelTokenizer(List<String> words) {
    if (words == null) {
      throw new IllegalArgumentException("vocabulary must be a list of words, was null");
    }
    List<String> all = new ArrayList<>(SPECIAL_TOKENS);
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < all.size(); i++) {
      index.put(all.get(i), i);
    }
    for (String w : words) {
      if (w == null || !PIECE.matcher(w).matches()) {
        throw new IllegalArgumentException("vocabulary word '" + w + "' is not one piece: a word is a run of "
            + "letters, digits and underscores, or a single other character without spaces");
      }
      if (!index.containsKey(w)) {
        index.put(w, all.size());
        all.add(w);
      }
    }
    this.tokens = List.copyOf(all);
    this.ids = Map.copyOf(index);
  }

  @Override
  public int vocabSize() {
    return tokens.size();
  }

  @Override
  public int[] encode(String text) {
    List<Integer> out = new ArrayList<>();
    Matcher m = PIECE.matcher(text);
    while (m.find()) {
      String piece = m.group();
      Integer id = ids.get(piece);
      if (id == null) {
        id = ids.get(piece.toLowerCase(Locale.ROOT));
      }
      out.add(id == null || id < SPECIAL_TOKENS.size() ? UNK : id);
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  @Override
  public String decode(int[] ids) {
    StringBuilder sb = new StringBuilder();
    String previous = null;
    for (int id : ids) {
      if (id < SPECIAL_TOKENS.size() || id >= tokens.size()) {
        continue;
      }
      String piece = tokens.get(id);
      boolean glue = previous == null
          || (piece.length() == 1 && NO_SPACE_BEFORE.indexOf(piece.charAt(0)) >= 0)
          || (previous.length() == 1 && NO_SPACE_AFTER.indexOf(previous.charAt(0)) >= 0);
      if (!glue) {
        sb.append(' ');
      }
      sb.append(piece);
      previous = piece;
    }
    return sb.toString();
  }

  /** The token of {@code id} (special tokens included), for tests and debugging. */
  String token(int id) {
    return tokens.get(id);
  }

  @Override
  public int padId() {
    return 0;
  }

  @Override
  public int bosId() {
    return 1;
  }

  @Override
  public int eosId() {
    return 2;
  }

  @Override
  public OptionalInt unkId() {
    return OptionalInt.of(UNK);
  }

  /** Ids 0 to 7: {@link #SPECIAL_TOKENS}, the unknown token among them. */
  @Override
  public int[] specialIds() {
    return IntStream.range(0, SPECIAL_TOKENS.size()).toArray();
  }

  @Override
  public OptionalInt roleId(Role role) {
    return OptionalInt.of(switch (role) {
      case SYSTEM -> 4;
      case USER -> 5;
      case ASSISTANT -> 6;
      case TOOL -> 7;
    });
  }

  /**
   * A Hugging Face {@code WordLevel} model over the same vocabulary, with a pre-tokenizer that cuts text into
   * the same pieces ({@link #PIECE} after splitting on white space). The library reads it; it gives the same ids
   * as this class except where this class falls back to a lower-cased word, which the format cannot say.
   */
  @Override
  public String toJson() {
    Map<String, Integer> specials = new HashMap<>();
    for (int i = 0; i < SPECIAL_TOKENS.size(); i++) {
      specials.put(SPECIAL_TOKENS.get(i), i);
    }
    ObjectNode root = TokenizerJson.document(specials, preTokenizer(), null);
    ObjectNode model = root.putObject("model");
    model.put("type", "WordLevel");
    ObjectNode vocab = model.putObject("vocab");
    for (int id = 0; id < tokens.size(); id++) {
      vocab.put(tokens.get(id), id);
    }
    model.put("unk_token", SPECIAL_TOKENS.get(UNK));
    return TokenizerJson.write(root);
  }

  private static ObjectNode preTokenizer() {
    ObjectNode sequence = TokenizerJson.JSON.createObjectNode().put("type", "Sequence");
    ArrayNode parts = sequence.putArray("pretokenizers");
    parts.addObject().put("type", "WhitespaceSplit");
    ObjectNode split = parts.addObject().put("type", "Split");
    split.putObject("pattern").put("Regex", PIECE.pattern());
    split.put("behavior", "Isolated").put("invert", false);
    return sequence;
  }

  /** The tokenizer in {@code root} if {@link #toJson} wrote it (its pre-tokenizer, specials 0-7); else empty. */
  static Optional<WordLevelTokenizer> fromJson(JsonNode root) {
    JsonNode model = root.path("model");
    if (!"WordLevel".equals(model.path("type").asText()) || !preTokenizer().equals(root.path("pre_tokenizer"))
        || !TokenizerJson.nullOrAbsent(root.path("normalizer")) || !model.path("vocab").isObject()
        || !SPECIAL_TOKENS.get(UNK).equals(model.path("unk_token").asText())) {
      return Optional.empty();
    }
    Map<String, Integer> vocab = new HashMap<>();
    model.path("vocab").properties().forEach(e -> vocab.put(e.getKey(), e.getValue().asInt()));
    Optional<List<Integer>> specials = TokenizerJson.specialTokens(root, vocab);
    if (specials.isEmpty() || !specials.get().equals(List.of(0, 1, 2, 3, 4, 5, 6, 7))) {
      return Optional.empty();
    }
    String[] byId = new String[vocab.size()];
    for (Map.Entry<String, Integer> e : vocab.entrySet()) {
      int id = e.getValue();
      if (id < 0 || id >= byId.length || byId[id] != null) {
        return Optional.empty();
      }
      byId[id] = e.getKey();
    }
    try {
      return Optional.of(new WordLevelTokenizer(List.of(byId).subList(SPECIAL_TOKENS.size(), byId.length)));
    } catch (IllegalArgumentException notOurs) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return "word-level tokenizer (" + tokens.size() + " tokens)";
  }
}
