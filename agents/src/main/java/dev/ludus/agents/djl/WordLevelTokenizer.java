package dev.ludus.agents.djl;

import dev.ludus.api.Role;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
      out.add(id == null || id < SPECIAL_TOKENS.size() ? unkId() : id);
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

  int unkId() {
    return 3;
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

  @Override
  public String toString() {
    return "word-level tokenizer (" + tokens.size() + " tokens)";
  }
}
