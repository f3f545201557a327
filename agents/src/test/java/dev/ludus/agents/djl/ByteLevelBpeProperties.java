package dev.ludus.agents.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * The laws of the byte-level BPE: any string (any code point, emoji, control characters, CJK, white space of
 * every kind, even lone surrogates) encodes to ids that are neither special nor unknown and decodes back to
 * itself; and DJL's Hugging Face tokenizers library, reading the saved {@code tokenizer.json}, gives the same
 * ids as the Java encoder.
 */
class ByteLevelBpeProperties {
  private static final ByteLevelBpeTokenizer BPE = ByteLevelBpeTokenizer.train(BpeFixtures.corpus(), 400);
  private static LmTokenizer huggingFace;

  @Property(tries = 1000)
  void decodeInvertsEncodeForAnyString(@ForAll("anyText") String s) {
    int[] ids = BPE.encode(s);
    assertTrue(IntStream.of(ids).allMatch(id -> id >= ByteLevelBpeTokenizer.FIRST_BYTE_ID && id < BPE.vocabSize()),
        "no special or unknown token, nothing outside the vocabulary");
    assertEquals(s, BPE.decode(ids));
  }

  @Property(tries = 300)
  void encodingIsTheSameWithAndWithoutTheCache(@ForAll("anyText") String s) {
    assertArrayEquals(BPE.withCache(0).encode(s), BPE.encode(s));
  }

  /** Well-formed text only: the Rust library cannot receive a lone surrogate. */
  @Property(tries = 300)
  void huggingFaceReadsTheSavedFileToTheSameIds(@ForAll("wellFormedText") String s) {
    LmTokenizer hf = huggingFace();
    assertArrayEquals(BPE.encode(s), hf.encode(s), "ids of '" + s + "'");
    assertEquals(s, hf.decode(BPE.encode(s)));
  }

  @Provide
  Arbitrary<String> anyText() {
    return text(true);
  }

  @Provide
  Arbitrary<String> wellFormedText() {
    return text(false);
  }

  /**
   * Mostly ASCII and white space, with control characters, two-byte, CJK, emoji, any code point at all and
   * (when asked) lone surrogates, mixed with words the tokenizer has merges for.
   */
  private static Arbitrary<String> text(boolean loneSurrogates) {
    Arbitrary<Integer> any = Arbitraries.integers().between(0, 0x10FFFF);
    List<Tuple.Tuple2<Integer, Arbitrary<? extends Integer>>> mix = new ArrayList<>(List.of(
        Tuple.of(4, Arbitraries.integers().between(0x20, 0x7E)),
        Tuple.of(2, Arbitraries.of(0x20, 0x20, 0x0A, 0x09, 0x0D, 0xA0, 0x2003, 0x3000, 0x85, 0x2028)),
        Tuple.of(1, Arbitraries.integers().between(0x00, 0x1F)),
        Tuple.of(1, Arbitraries.integers().between(0x80, 0x7FF)),
        Tuple.of(1, Arbitraries.integers().between(0x4E00, 0x9FFF)),
        Tuple.of(1, Arbitraries.integers().between(0x1F300, 0x1FAFF)),
        Tuple.of(1, any)));
    if (loneSurrogates) {
      mix.add(Tuple.of(1, Arbitraries.integers().between(0xD800, 0xDFFF)));
    }
    @SuppressWarnings({"unchecked", "rawtypes"})
    Arbitrary<Integer> mixed = Arbitraries.frequencyOf(mix.toArray(new Tuple.Tuple2[0]));
    Arbitrary<Integer> codePoints = loneSurrogates ? mixed : mixed.filter(ByteLevelBpeProperties::assignedInBoth);
    Arbitrary<String> words = Arbitraries.of(" number", " between", "Guess", " the", "'s", "'ll", "1", "2023");
    return Arbitraries.oneOf(
        codePoints.list().ofMaxSize(40).map(ByteLevelBpeProperties::string),
        Arbitraries.oneOf(words, codePoints.map(Character::toString)).list().ofMaxSize(12)
            .map(l -> String.join("", l)));
  }

  private static String string(List<Integer> codePoints) {
    StringBuilder sb = new StringBuilder();
    codePoints.forEach(sb::appendCodePoint);
    return sb.toString();
  }

  /**
   * Leaves out surrogates and the code points that the JVM's Unicode tables leave unassigned (Java 17 has
   * Unicode 13): a newer Unicode in the Rust library may class them as letters or digits (U+9FFD is a CJK
   * ideograph since Unicode 14), which changes where a piece ends.
   */
  private static boolean assignedInBoth(int codePoint) {
    return Character.getType(codePoint) != Character.UNASSIGNED && Character.getType(codePoint) != Character.SURROGATE;
  }

  private static synchronized LmTokenizer huggingFace() {
    if (huggingFace == null) {
      try {
        Path file = Files.createTempFile("bpe-", ".json");
        file.toFile().deleteOnExit();
        BPE.save(file);
        huggingFace = LmTokenizer.huggingFace(file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return huggingFace;
  }

  @AfterContainer
  static synchronized void closeHuggingFace() {
    if (huggingFace != null) {
      huggingFace.close();
      huggingFace = null;
    }
  }
}
