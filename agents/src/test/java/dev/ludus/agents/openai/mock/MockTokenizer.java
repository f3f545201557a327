package dev.ludus.agents.openai.mock;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A deterministic fake tokenizer: a token is a run of spaces followed by a run of non-spaces. Stateless. */
final class MockTokenizer {
  private static final Pattern PIECE = Pattern.compile("\\s*\\S+|\\s+");

  private MockTokenizer() {}

  static List<String> pieces(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = PIECE.matcher(text);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  static int id(String piece) {
    return 100 + Math.floorMod(piece.hashCode(), 50_000);
  }

  static int[] encode(String text) {
    return pieces(text).stream().mapToInt(MockTokenizer::id).toArray();
  }

  /** A log-prob in (-2, 0) determined by the token id. */
  static float logProb(int id) {
    return -(Math.floorMod(id * 31, 1000) + 1) / 500f;
  }
}
