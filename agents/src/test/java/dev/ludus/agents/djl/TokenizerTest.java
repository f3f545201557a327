package dev.ludus.agents.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Message;
import dev.ludus.api.Role;
import dev.ludus.api.ToolCall;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerTest {
  private final LmTokenizer words = DjlLmFixtures.tokenizer();

  @Test
  void wordLevelEncodeDecodeRoundTripsVocabularyText() {
    for (String text : List.of("hello world", "guess a number between 1 and 10.", "is it 5? no, higher!",
        "what is the answer?")) {
      int[] ids = words.encode(text);
      assertFalse(IntStream.of(ids).anyMatch(id -> id == 3), "no <unk> in " + text);
      assertEquals(text, words.decode(ids));
    }
  }

  @Test
  void wordLevelGivesSpecialTokensTheFirstIdsAndWordsTheirOrder() {
    WordLevelTokenizer t = new WordLevelTokenizer(List.of("b", "a", "b"));
    assertEquals(LmTokenizer.SPECIAL_TOKENS.size() + 2, t.vocabSize());
    assertEquals("<pad>", t.token(t.padId()));
    assertEquals("<bos>", t.token(t.bosId()));
    assertEquals("<eos>", t.token(t.eosId()));
    assertEquals("<assistant>", t.token(t.roleId(Role.ASSISTANT).orElseThrow()));
    assertArrayEquals(new int[] {8, 9}, t.encode("b a"));
  }

  @Test
  void unknownWordsBecomeUnkAndCapitalsFallBackToLowerCase() {
    assertArrayEquals(words.encode("hello"), words.encode("Hello"));
    assertArrayEquals(new int[] {3}, words.encode("zebra"));
    assertArrayEquals(new int[] {3, 3, 3}, words.encode("<eos>"), "text never forges a special token");
    assertEquals("", words.decode(new int[] {0, 1, 2, 3}));
  }

  @Test
  void aVocabularyWordWithASpaceIsRejectedNamingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LmTokenizer.wordLevel(List.of("ok", "two words")));
    assertTrue(e.getMessage().startsWith("vocabulary word 'two words' is not one piece"), e.getMessage());
  }

  @Test
  void vocabularyFileSkipsBlankLinesAndComments(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("vocab.txt");
    Files.writeString(file, "# words\nhello\n\n  world  \n");
    LmTokenizer t = LmTokenizer.wordLevel(file);
    assertEquals(LmTokenizer.SPECIAL_TOKENS.size() + 2, t.vocabSize());
    assertEquals("hello world", t.decode(t.encode("hello world")));
  }

  @Test
  void chatTemplateMarksRolesAndClosesEveryTurnWithEos() {
    WordLevelTokenizer t = new WordLevelTokenizer(List.of("hi", "there", "go", "{", "}", "<", ">", "/", "tool_call",
        "\"", ":", ",", "name", "arguments"));
    int[] ids = new ChatTemplate(t).render(List.of(
        Message.system("hi"), Message.user("there"),
        Message.assistant("", List.of(ToolCall.of("c1", "go", "{}"))),
        Message.toolResult("c1", "go", "hi")));
    List<String> tokens = new ArrayList<>();
    for (int id : ids) {
      tokens.add(t.token(id));
    }
    assertEquals(List.of("<bos>", "<system>", "hi", "<eos>", "<user>", "there", "<eos>",
        "<assistant>", "<", "tool_call", ">", "{", "\"", "name", "\"", ":", "\"", "go", "\"", ",", "\"", "arguments",
        "\"", ":", "{", "}", "}", "<", "/", "tool_call", ">", "<eos>", "<tool>", "hi", "<eos>", "<assistant>"), tokens,
        "an assistant's tool calls are rendered as hermes <tool_call> blocks");
  }

  static String wordLevelTokenizerJson() {
    StringBuilder vocab = new StringBuilder();
    List<String> all = new ArrayList<>(LmTokenizer.SPECIAL_TOKENS);
    all.addAll(List.of("hello", "world", "guess", "a", "number"));
    StringBuilder added = new StringBuilder();
    for (int i = 0; i < all.size(); i++) {
      vocab.append(i == 0 ? "" : ",").append('"').append(all.get(i)).append("\":").append(i);
      if (i < LmTokenizer.SPECIAL_TOKENS.size()) {
        added.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append(",\"content\":\"").append(all.get(i))
            .append("\",\"single_word\":false,\"lstrip\":false,\"rstrip\":false,\"normalized\":false,\"special\":true}");
      }
    }
    return "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,\"added_tokens\":[" + added + "],"
        + "\"normalizer\":null,\"pre_tokenizer\":{\"type\":\"Whitespace\"},\"post_processor\":null,\"decoder\":null,"
        + "\"model\":{\"type\":\"WordLevel\",\"vocab\":{" + vocab + "},\"unk_token\":\"<unk>\"}}";
  }

  /** Loads the Hugging Face tokenizer, or skips the test when DJL's tokenizers native library cannot load here. */
  static LmTokenizer huggingFaceOrSkip(Path file) {
    try {
      return LmTokenizer.huggingFace(file);
    } catch (UnsatisfiedLinkError | IllegalStateException e) {
      Assumptions.abort("DJL's Hugging Face tokenizers native library did not load offline: " + e);
      throw new AssertionError(e);
    }
  }

  @Test
  void huggingFaceTokenizerJsonLoadsOfflineAndRoundTrips(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tokenizer.json");
    Files.writeString(file, wordLevelTokenizerJson());
    try (LmTokenizer hf = huggingFaceOrSkip(file)) {
      assertEquals(13, hf.vocabSize());
      assertEquals(2, hf.eosId());
      assertEquals(1, hf.bosId());
      assertEquals(0, hf.padId());
      assertEquals(6, hf.roleId(Role.ASSISTANT).orElseThrow());
      assertArrayEquals(new int[] {8, 9}, hf.encode("hello world"));
      assertEquals("hello world", hf.decode(hf.encode("hello world")));
      assertArrayEquals(new int[] {10, 3}, hf.encode("guess zebra"));
      assertEquals("hello", hf.decode(new int[] {1, 8, 2}), "special tokens are left out");
    }
  }

  @Test
  void aTokenizerJsonWithoutAnEndOfSequenceTokenIsRejected(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tokenizer.json");
    Files.writeString(file, "{\"model\":{\"type\":\"WordLevel\",\"vocab\":{\"<unk>\":0,\"a\":1},\"unk_token\":\"<unk>\"},"
        + "\"pre_tokenizer\":{\"type\":\"Whitespace\"}}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> huggingFaceOrSkip(file).close());
    assertTrue(e.getMessage().contains("has no end-of-sequence token"), e.getMessage());
  }

  @Test
  void wordLevelSavesAsAHuggingFaceWordLevelFileAndReadsBackInJava(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tokenizer.json");
    words.save(file);
    try (LmTokenizer back = LmTokenizer.read(file)) {
      assertTrue(back instanceof WordLevelTokenizer, back.toString());
      assertEquals(words.toJson(), back.toJson());
      assertArrayEquals(words.encode("Hello world, guess a number!"), back.encode("Hello world, guess a number!"));
      assertEquals(3, back.unkId().orElseThrow());
    }
    try (LmTokenizer hf = huggingFaceOrSkip(file)) {
      for (String text : List.of("hello world", "guess a number between 1 and 10.", "is it 5? no, higher!", "zebra")) {
        assertArrayEquals(words.encode(text), hf.encode(text), "the Hugging Face library reads it alike: " + text);
      }
      assertEquals(3, hf.unkId().orElseThrow(), "the model's unk_token");
    }
  }

  @Test
  void aTokenizerJsonNotWrittenHereIsReadByTheHuggingFaceLibraryAndKeepsItsText(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tokenizer.json");
    Files.writeString(file, wordLevelTokenizerJson());
    try (LmTokenizer t = LmTokenizer.read(file)) {
      assertTrue(t instanceof HuggingFaceLmTokenizer, t.toString());
      assertEquals(wordLevelTokenizerJson(), t.toJson());
    }
  }

  @Test
  void sameTokenizersCompareEqualAndTheDescriptionTellsThemApart() {
    LmTokenizer other = LmTokenizer.wordLevel(List.of("hello", "world"));
    assertTrue(TokenizerJson.same(words, DjlLmFixtures.tokenizer()));
    assertFalse(TokenizerJson.same(words, other));
    assertTrue(TokenizerJson.describe(other).matches("word-level tokenizer \\(10 tokens, sha256 [0-9a-f]{8}\\)"),
        TokenizerJson.describe(other));
    assertFalse(TokenizerJson.describe(other).equals(TokenizerJson.describe(LmTokenizer.wordLevel(List.of("hello", "there")))));
  }
}
