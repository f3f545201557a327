package dev.ludus.agents.djl;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The byte level of a GPT-2 style tokenizer, as Hugging Face's {@code ByteLevel} pre-tokenizer and decoder
 * define it: text is split into pieces by {@link #PIECES} (contractions, runs of letters, of digits, of other
 * symbols, each with at most one leading space, and whitespace), each piece becomes its UTF-8 bytes, and each
 * byte is written as one printable character ({@link #symbol}), so that a vocabulary of strings covers every
 * byte sequence with its 256 one-byte tokens.
 *
 * <p>Bytes: Java strings may hold lone surrogates, which UTF-8 cannot encode; they are written as their
 * three-byte generalized UTF-8 form (WTF-8) and read back, so {@code decode(encode(s))} gives back any string.
 * Well-formed text gets exactly its UTF-8 bytes. Decoding replaces bytes that form no character with U+FFFD,
 * one per bad byte sequence, as a lossy UTF-8 decoder does.
 *
 * <p>Stateless and thread-safe.
 */
final class ByteLevel {
  /**
   * GPT-2's pre-tokenizer, as in the Hugging Face {@code ByteLevel} pre-tokenizer with {@code use_regex}.
   * {@code \s} is Unicode white space (as in Oniguruma, which the Rust library uses), hence the flag. Which
   * characters are letters and digits comes from the JVM's Unicode tables (Java 17: Unicode 13); a letter
   * assigned in a later Unicode counts as a symbol here, so the Rust library may cut text holding one
   * differently (the text still round-trips).
   */
  static final Pattern PIECES = Pattern.compile(
      "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
      Pattern.UNICODE_CHARACTER_CLASS);

  private static final char[] SYMBOL = new char[256];
  private static final int[] BYTE = new int[512];

  static {
    java.util.Arrays.fill(BYTE, -1);
    int next = 256;
    for (int b = 0; b < 256; b++) {
      boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      char c = printable ? (char) b : (char) next++;
      SYMBOL[b] = c;
      BYTE[c] = b;
    }
  }

  private ByteLevel() {}

  /** The printable character that stands for byte {@code b} (0 to 255). */
  static char symbol(int b) {
    return SYMBOL[b & 0xFF];
  }

  /** The byte that {@code c} stands for, or -1 when {@code c} is not a byte symbol. */
  static int byteOf(char c) {
    return c < BYTE.length ? BYTE[c] : -1;
  }

  /** The pieces of {@code text}, in order; they concatenate back to {@code text}. */
  static List<String> pieces(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = PIECES.matcher(text);
    int at = 0;
    while (m.find()) {
      if (m.start() > at) {
        out.add(text.substring(at, m.start())); // the pattern covers every character; kept for safety
      }
      out.add(m.group());
      at = m.end();
    }
    if (at < text.length()) {
      out.add(text.substring(at));
    }
    return out;
  }

  /**
   * The regex that makes each cell of a board drawn with {@code gridCells} a piece of its own: a character of the set
   * that, with every character after it up to the end of its line, is a cell. So a row such as {@code #_P__#} is six
   * pieces and no merge ever joins two cells, while a word that merely holds such a character ({@code Push}) is cut
   * only where the rest of its line is cells too. Written for both Java's regex and Oniguruma (the Hugging Face
   * library's): a character class, a look-ahead, {@code \n} and {@code \z}, no look-behind.
   *
   * @param gridCells distinct characters, none of them white space or a surrogate
   * @throws IllegalArgumentException naming what is wrong
   */
  static String cellRegex(String gridCells) {
    checkCells(gridCells);
    StringBuilder cls = new StringBuilder("[");
    gridCells.chars().forEach(c -> {
      if (c < 0x80 && !Character.isLetterOrDigit(c) && c != '_') {
        cls.append('\\');
      }
      cls.append((char) c);
    });
    cls.append(']');
    return cls + "(?=" + cls + "*(?:\\n|\\z))";
  }

  /** The cells {@code regex} was made from by {@link #cellRegex}, or null if it was not made so. */
  static String cellsOf(String regex) {
    if (regex == null || !regex.startsWith("[")) {
      return null;
    }
    StringBuilder cells = new StringBuilder();
    int i = 1;
    while (i < regex.length() && regex.charAt(i) != ']') {
      if (regex.charAt(i) == '\\') {
        i++;
      }
      if (i < regex.length()) {
        cells.append(regex.charAt(i++));
      }
    }
    try {
      return cells.length() > 0 && cellRegex(cells.toString()).equals(regex) ? cells.toString() : null;
    } catch (IllegalArgumentException notCells) {
      return null;
    }
  }

  private static void checkCells(String gridCells) {
    if (gridCells == null || gridCells.isEmpty()) {
      throw new IllegalArgumentException("grid cells must be at least one character, were "
          + (gridCells == null ? "null" : "empty"));
    }
    for (int i = 0; i < gridCells.length(); i++) {
      char c = gridCells.charAt(i);
      if (Character.isWhitespace(c) || Character.isSurrogate(c) || Character.isISOControl(c)
          || gridCells.indexOf(c) != i) {
        throw new IllegalArgumentException("grid cells must be distinct characters, none of them white space, a "
            + "control character or a surrogate; '" + gridCells + "' has " + (gridCells.indexOf(c) != i ? "'" + c
            + "' twice" : String.format("U+%04X", (int) c)));
      }
    }
  }

  /**
   * The pieces of {@code text} as {@link #pieces(String)} cuts them, after each match of {@code cells} (a
   * {@link #cellRegex}) is cut out as a piece of its own, as a Hugging Face {@code Split} pre-tokenizer with the
   * {@code Isolated} behaviour followed by {@code ByteLevel} does; {@code cells} null for none.
   */
  static List<String> pieces(String text, Pattern cells) {
    if (cells == null) {
      return pieces(text);
    }
    List<String> out = new ArrayList<>();
    Matcher m = cells.matcher(text);
    int at = 0;
    while (m.find()) {
      if (m.start() > at) {
        out.addAll(pieces(text.substring(at, m.start())));
      }
      out.add(m.group());
      at = m.end();
    }
    if (at < text.length()) {
      out.addAll(pieces(text.substring(at)));
    }
    return out;
  }

  /** The bytes of {@code s}: UTF-8, with a lone surrogate written as its three-byte form. */
  static byte[] bytes(CharSequence s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      int c = s.charAt(i);
      if (Character.isHighSurrogate((char) c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        c = Character.toCodePoint((char) c, s.charAt(++i));
      }
      if (c < 0x80) {
        out.write(c);
      } else if (c < 0x800) {
        out.write(0xC0 | (c >> 6));
        out.write(0x80 | (c & 0x3F));
      } else if (c < 0x10000) {
        out.write(0xE0 | (c >> 12));
        out.write(0x80 | ((c >> 6) & 0x3F));
        out.write(0x80 | (c & 0x3F));
      } else {
        out.write(0xF0 | (c >> 18));
        out.write(0x80 | ((c >> 12) & 0x3F));
        out.write(0x80 | ((c >> 6) & 0x3F));
        out.write(0x80 | (c & 0x3F));
      }
    }
    return out.toByteArray();
  }

  /** The text of {@code bytes[0, length)}: the inverse of {@link #bytes}, with U+FFFD for malformed sequences. */
  static String text(byte[] bytes, int length) {
    StringBuilder sb = new StringBuilder(length);
    int i = 0;
    while (i < length) {
      int b = bytes[i] & 0xFF;
      int need;
      int cp;
      int min;
      if (b < 0x80) {
        sb.append((char) b);
        i++;
        continue;
      } else if (b >= 0xC2 && b <= 0xDF) {
        need = 1;
        cp = b & 0x1F;
        min = 0x80;
      } else if (b >= 0xE0 && b <= 0xEF) {
        need = 2;
        cp = b & 0x0F;
        min = 0x800;
      } else if (b >= 0xF0 && b <= 0xF4) {
        need = 3;
        cp = b & 0x07;
        min = 0x10000;
      } else {
        sb.append('\uFFFD');
        i++;
        continue;
      }
      int j = i + 1;
      while (j < length && j <= i + need && (bytes[j] & 0xC0) == 0x80) {
        cp = (cp << 6) | (bytes[j] & 0x3F);
        j++;
      }
      if (j - i - 1 < need || cp < min || cp > 0x10FFFF) {
        sb.append('\uFFFD');
        i = j; // the lead byte and the continuation bytes it took: one bad sequence
        continue;
      }
      sb.appendCodePoint(cp); // a surrogate code point (from a lone surrogate) appends as that one char
      i = j;
    }
    return sb.toString();
  }
}
