package dev.ludus.agents.djl;

import java.util.ArrayList;
import java.util.List;

/** Training texts and test strings for the byte-level BPE tests. */
final class BpeFixtures {
  private BpeFixtures() {}

  /** Game-like text with repeats (so pairs recur), a little Unicode, numbers and punctuation. */
  static List<String> corpus() {
    List<String> texts = new ArrayList<>();
    for (int i = 1; i <= 40; i++) {
      texts.add("Guess my number between 1 and " + (i + 7) + ". You have " + (i % 5 + 1) + " guesses left.");
      texts.add(i % 2 == 0 ? "Higher! My number is greater than " + i + "." : "Lower: my number is smaller than " + i + "!");
      texts.add("" + i);
      texts.add("You are at (" + i + ", " + (i * 3 % 7) + "); the key is north, the door is locked.");
      texts.add("Is it an animal? yes. Is it bigger than a bread box? no. I'm sure it's a cat; we'll see.");
    }
    texts.add("Café, naïve résumé — 日本語のテキスト, 中文, emoji 😀🎉 and tabs\tand\nnew lines.");
    return texts;
  }

  /**
   * Strings that exercise the pre-tokenizer and the byte level: contractions, runs of spaces and other white
   * space (Unicode's too), control characters, digits of other scripts, CJK, emoji with joiners and modifiers.
   */
  static List<String> hardStrings() {
    return List.of(
        "", " ", "  ", "a", " a", "a ", "  a  b   c    ", "\n", "\n\n", "a\n\nb", "tab\there", "\r\n", " \t \n ",
        "guess a number between 1 and 8", "Higher! My number is greater than 4.", "Lower: 12345678901234567890",
        "I'm sure they've done it, we'll see; you'd know. It's 'quoted' and ''s and 'S 'T don't",
        "café naïve résumé", "Привет, мир!", "日本語のテキスト", "中文字符测试。", "한국어 텍스트", "ελληνικά", "עברית",
        "emoji 😀🎉👍🏽 family 👨‍👩‍👧 flag 🇫🇷", "math ∑∫√ ≠ ≤ ∞", "x²³ ½ ¾", "１２３ ٣٤٥ ०१२",
        "non-breaking\u00A0space", "em\u2003space", "ideographic\u3000space", "next\u0085line", "line\u2028sep",
        "controls \u0000\u0001\u001f\u007f\u0080\u009f end", "soft\u00ADhyphen", "zero\u200Bwidth",
        "<eos> <user> <assistant>", "((()))[]{}<<>>", "a_b-c.d/e\\f", "...!!!???", "$100.00 & 50%",
        "{\"name\": \"search\", \"arguments\": {\"q\": \"cats\"}}", "key-picked door-opened", "   \n   x",
        "ÿ þ ý ¡ ¬ ® ­", "\uFEFFbom", "\uFFFD replacement", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝟙𝟚𝟛");
  }
}
