package dev.ludus.agents.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.Role;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ByteLevelBpeTokenizerTest {
  private static final ByteLevelBpeTokenizer BPE = ByteLevelBpeTokenizer.train(BpeFixtures.corpus(), 400);

  @Test
  void idsAreTheSpecialTokensThenTheBytesThenOneTokenPerMerge() {
    assertEquals(400, BPE.vocabSize(), "the corpus has enough recurring pairs to fill 400");
    for (int i = 0; i < 8; i++) {
      assertEquals(LmTokenizer.SPECIAL_TOKENS.get(i), BPE.token(i));
    }
    assertEquals(0, BPE.padId());
    assertEquals(1, BPE.bosId());
    assertEquals(2, BPE.eosId());
    assertEquals(6, BPE.roleId(Role.ASSISTANT).orElseThrow());
    assertEquals(7, BPE.roleId(Role.TOOL).orElseThrow());
    assertEquals("A", BPE.token(8 + 'A'));
    assertEquals("Ġ", BPE.token(8 + ' '), "GPT-2's symbol for the space byte");
    assertEquals("Ċ", BPE.token(8 + '\n'));
    assertEquals(400 - 264, BPE.mergeCount());
    assertTrue(BPE.unkId().isEmpty(), "a byte-level BPE has no unknown token");
  }

  @Test
  void theMostFrequentPairIsMergedFirstAndTiesGoToTheSmallestIds() {
    // pairs (a, b) and (c, d) are both seen 3 times: a tie, which the smaller left id (a < c) wins
    ByteLevelBpeTokenizer t = ByteLevelBpeTokenizer.train(List.of("ab", "ab", "ab", "cd", "cd", "cd", "b"), 266);
    assertEquals(266, t.vocabSize());
    assertEquals("ab", t.token(264));
    assertEquals("cd", t.token(265));
    assertArrayEquals(new int[] {264, 265}, t.encode("abcd"), "merged words are single tokens");
    ByteLevelBpeTokenizer swapped = ByteLevelBpeTokenizer.train(List.of("cd", "ab", "cd", "ab", "cd", "ab"), 265);
    assertEquals("ab", swapped.token(264), "the text order does not decide a tie");
  }

  @Test
  void trainingStopsWhenNoPairOccursTwice() {
    ByteLevelBpeTokenizer t = ByteLevelBpeTokenizer.train(List.of("xy", "xy", "zw"), 1000);
    assertEquals(265, t.vocabSize(), "only (x, y) occurs twice");
    assertEquals("xy", t.token(264));
  }

  @Test
  void frequentWordsOfTheCorpusBecomeSingleTokens() {
    for (String word : List.of("Guess", " number", " greater", " between")) {
      assertEquals(1, BPE.encode(word).length, word + " -> " + tokens(BPE.encode(word)));
    }
    assertTrue(BPE.encode("Zyzzyva").length > 2, "a word never seen is spelled in smaller pieces");
  }

  @Test
  void everyHardStringEncodesWithoutSpecialTokensAndDecodesBack() {
    for (String s : BpeFixtures.hardStrings()) {
      int[] ids = BPE.encode(s);
      assertTrue(IntStream.of(ids).allMatch(id -> id >= 8 && id < BPE.vocabSize()), s);
      assertEquals(s, BPE.decode(ids), "round trip of '" + s + "'");
    }
  }

  @Test
  void textNeverForgesASpecialToken() {
    assertTrue(IntStream.of(BPE.encode("<eos><user>")).allMatch(id -> id >= 8));
    assertEquals("hi", BPE.decode(new int[] {1, BPE.encode("h")[0], 2, 3, BPE.encode("i")[0], 0}),
        "decoding leaves special tokens out");
  }

  @Test
  void lonelySurrogatesRoundTrip() {
    for (String s : List.of("\uD800", "a\uDC00b", "\uDBFF\uD800", "\uD83D\uDE00\uDE00")) {
      assertEquals(s, BPE.decode(BPE.encode(s)));
    }
  }

  @Test
  void bytesThatFormNoCharacterDecodeToTheReplacementCharacter() {
    int ff = 8 + 0xFF;
    int e2 = 8 + 0xE2;
    assertEquals("a\uFFFDb", BPE.decode(new int[] {8 + 'a', ff, 8 + 'b'}));
    assertEquals("\uFFFDc", BPE.decode(new int[] {e2, 8 + 0x82, 8 + 'c'}), "a cut-off sequence is one U+FFFD");
  }

  @Test
  void theSameTextsInAnyOrderGiveTheSameFileByteForByte() {
    List<String> shuffled = new ArrayList<>(BpeFixtures.corpus());
    Collections.shuffle(shuffled, new Random(7));
    String a = ByteLevelBpeTokenizer.train(BpeFixtures.corpus(), 400).toJson();
    String b = ByteLevelBpeTokenizer.train(shuffled, 400).toJson();
    assertEquals(a, b);
    assertNotEquals(a, ByteLevelBpeTokenizer.train(BpeFixtures.corpus(), 300).toJson());
  }

  @Test
  void theFileIsAHuggingFaceByteLevelBpeWithTheSpecialTokensAsAddedTokens() throws Exception {
    JsonNode root = TokenizerJson.JSON.readTree(BPE.toJson());
    assertEquals("BPE", root.path("model").path("type").asText());
    assertEquals("ByteLevel", root.path("pre_tokenizer").path("type").asText());
    assertEquals("ByteLevel", root.path("decoder").path("type").asText());
    assertEquals(400, root.path("model").path("vocab").size());
    assertEquals(400 - 264, root.path("model").path("merges").size());
    assertEquals("<eos>", root.path("added_tokens").get(2).path("content").asText());
    assertTrue(root.path("added_tokens").get(2).path("special").asBoolean());
    String first = root.path("model").path("merges").get(0).asText();
    assertEquals(BPE.token(264), first.replace(" ", ""), "merge 0 makes token 264");
    assertTrue(BPE.toJson().indexOf('\r') < 0 && BPE.toJson().endsWith("}\n"), "\\n line ends whatever the OS");
  }

  @Test
  void savedAndReadBackItIsTheSameTokenizerRunInJava(@TempDir Path dir) {
    Path file = dir.resolve("tokenizer.json");
    BPE.save(file);
    try (LmTokenizer back = LmTokenizer.read(file)) {
      assertInstanceOf(ByteLevelBpeTokenizer.class, back);
      assertEquals(BPE.toJson(), back.toJson());
      for (String s : BpeFixtures.hardStrings()) {
        assertArrayEquals(BPE.encode(s), back.encode(s), s);
      }
    }
  }

  /**
   * The independent check of the file format: DJL's native Hugging Face tokenizers library reads the saved file
   * and gives the same ids, and the same text back, as the Java encoder, on every hard string.
   */
  @Test
  void theHuggingFaceLibraryReadsTheSavedFileToTheSameIdsAsJava(@TempDir Path dir) {
    Path file = dir.resolve("tokenizer.json");
    BPE.save(file);
    try (LmTokenizer hf = TokenizerTest.huggingFaceOrSkip(file)) {
      assertInstanceOf(HuggingFaceLmTokenizer.class, hf);
      assertEquals(BPE.vocabSize(), hf.vocabSize());
      assertEquals(BPE.eosId(), hf.eosId());
      assertEquals(BPE.bosId(), hf.bosId());
      assertEquals(BPE.padId(), hf.padId());
      assertEquals(BPE.roleId(Role.USER), hf.roleId(Role.USER));
      assertTrue(hf.unkId().isEmpty());
      List<String> texts = new ArrayList<>(BpeFixtures.hardStrings());
      texts.removeIf(s -> s.contains("<eos>")); // the library matches added tokens in text; Java never does
      texts.addAll(BpeFixtures.corpus());
      for (String s : texts) {
        assertArrayEquals(BPE.encode(s), hf.encode(s), "ids of '" + s + "'");
        assertEquals(s, hf.decode(BPE.encode(s)), "text of '" + s + "'");
      }
    }
  }

  @Test
  void aFileWithMergesAsPairsReadsTheSameAsWithStrings(@TempDir Path dir) throws Exception {
    ObjectNode root = (ObjectNode) TokenizerJson.JSON.readTree(BPE.toJson());
    ObjectNode model = (ObjectNode) root.get("model");
    var pairs = TokenizerJson.JSON.createArrayNode();
    model.get("merges").forEach(m -> pairs.addArray().add(m.asText().split(" ")[0]).add(m.asText().split(" ")[1]));
    model.set("merges", pairs);
    Path file = dir.resolve("pairs.json");
    Files.writeString(file, TokenizerJson.write(root), StandardCharsets.UTF_8);
    try (LmTokenizer back = LmTokenizer.read(file)) {
      assertEquals(BPE.toJson(), back.toJson(), "the newer merges format is read, and written back as strings");
    }
  }

  @Test
  void theCacheDoesNotChangeTheIds() {
    ByteLevelBpeTokenizer cold = BPE.withCache(0);
    for (String s : BpeFixtures.hardStrings()) {
      assertArrayEquals(BPE.encode(s), cold.encode(s), s);
      assertArrayEquals(BPE.encode(s), BPE.encode(s), "a cache hit gives the same ids: " + s);
    }
  }

  @Test
  void aVocabularySizeBelowTheBytesOrTooLargeIsRejectedNamingTheRange() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LmTokenizer.byteLevelBpe(List.of("a"), 100));
    assertEquals("bpe vocabSize must be in [264, 65536] (8 special tokens, 256 bytes, then merges), was 100",
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> LmTokenizer.byteLevelBpe(List.of("a"), 70_000));
  }

  private static List<String> tokens(int[] ids) {
    List<String> out = new ArrayList<>();
    for (int id : ids) {
      out.add(BPE.token(id));
    }
    return out;
  }

  @Test
  void aWholeTextIsOneTokenWhereverItOccursLeftmostAndLongestFirstAndDecodesToItself() {
    String rules = "You are playing a game. Answer with one move.";
    ByteLevelBpeTokenizer t = ByteLevelBpeTokenizer.train(BpeFixtures.corpus(), 400, List.of(rules, "one move"));
    assertEquals(400, t.vocabSize(), "the whole texts count in the vocabulary");
    int whole = t.wholeTexts().get(rules);
    assertArrayEquals(new int[] {whole}, t.encode(rules));
    int[] ids = t.encode("Hi. " + rules + " And again: " + rules);
    assertEquals(2, IntStream.of(ids).filter(id -> id == whole).count());
    assertEquals("Hi. " + rules + " And again: " + rules, t.decode(ids));
    assertArrayEquals(t.withCache(0).encode("Hi. "), Arrays.copyOf(ids, t.encode("Hi. ").length),
        "the text around a whole text encodes as it does alone");
    assertArrayEquals(new int[] {t.wholeTexts().get("one move")}, t.encode("one move"),
        "inside the longer text the shorter one is not matched; alone it is");
    assertTrue(IntStream.of(t.specialIds()).noneMatch(id -> id == whole), "a whole text is text, not special");
    assertThrows(IllegalArgumentException.class, () -> ByteLevelBpeTokenizer.train(List.of("ab"), 300, List.of("")));
  }

  @Test
  void wholeTextsAreSavedAsNonSpecialAddedTokensAndReadBackToTheSameIds(@TempDir Path dir) throws Exception {
    String rules = "You are playing a game. Answer with one move.";
    ByteLevelBpeTokenizer t = ByteLevelBpeTokenizer.train(BpeFixtures.corpus(), 400, List.of(rules));
    JsonNode root = TokenizerJson.JSON.readTree(t.toJson());
    JsonNode last = root.path("added_tokens").get(root.path("added_tokens").size() - 1);
    assertEquals(rules, last.path("content").asText());
    assertFalse(last.path("special").asBoolean(true));
    assertFalse(last.path("normalized").asBoolean(true));
    Path file = dir.resolve("tokenizer.json");
    t.save(file);
    String text = "Hi. " + rules + " left";
    try (LmTokenizer read = LmTokenizer.read(file)) {
      assertInstanceOf(ByteLevelBpeTokenizer.class, read);
      assertArrayEquals(t.encode(text), read.encode(text));
      assertEquals(t.toJson(), read.toJson());
    }
    try (LmTokenizer hf = TokenizerTest.huggingFaceOrSkip(file)) {
      assertArrayEquals(t.encode(text), hf.encode(text), "the Hugging Face library matches added tokens the same way");
    }
  }
}
