package dev.ludus.agents.djl;

import dev.ludus.api.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.TreeSet;

/**
 * Text to token ids and back, with the special tokens a chat model needs. Three kinds exist: a byte-level BPE
 * trained in process on texts ({@link #byteLevelBpe}), which reads and writes any text without an unknown
 * token; a word-level tokenizer built from a vocabulary ({@link #wordLevel(List)}); and a Hugging Face
 * {@code tokenizer.json} read through DJL's native tokenizers library ({@link #huggingFace(Path)}). Each one
 * saves itself as a Hugging Face {@code tokenizer.json} ({@link #save}) and {@link #read} gives it back.
 *
 * <p>Thread-safety: implementations are immutable after construction (the BPE's cache aside, which is
 * thread-safe) and safe to share. Life-cycle: the Hugging Face tokenizer holds native memory, so whoever
 * creates a tokenizer closes it; closing the others does nothing.
 */
public interface LmTokenizer extends AutoCloseable {
  /** The special tokens of a word-level vocabulary and of a byte-level BPE, with ids 0 to 7 in this order. */
  List<String> SPECIAL_TOKENS =
      List.of("<pad>", "<bos>", "<eos>", "<unk>", "<system>", "<user>", "<assistant>", "<tool>");

  /** The name of the file a tokenizer is saved as, beside a model's weights in a checkpoint. */
  String FILE_NAME = "tokenizer.json";

  /** The number of token ids; every id is in {@code [0, vocabSize)}. */
  int vocabSize();

  /** The ids of {@code text}, without any special token added. */
  int[] encode(String text);

  /** The text of {@code ids}, leaving special tokens out. */
  String decode(int[] ids);

  /** The padding id (its positions are masked, so any id works; the end-of-sequence id when there is none). */
  int padId();

  /** The beginning-of-sequence id, or -1 when the vocabulary has none. */
  int bosId();

  /** The end-of-sequence id, which also ends each chat turn. */
  int eosId();

  /** The id of the marker token that opens a message of {@code role}, if the vocabulary has one. */
  OptionalInt roleId(Role role);

  /**
   * The id that stands for text the vocabulary does not have, if this tokenizer can produce one (a word-level
   * vocabulary's {@code <unk>}); empty for a byte-level BPE, which never does.
   */
  default OptionalInt unkId() {
    return OptionalInt.empty();
  }

  /**
   * This tokenizer as a Hugging Face {@code tokenizer.json}, the same text for the same tokenizer. A byte-level
   * BPE writes a {@code BPE} model with {@code ByteLevel} pre-tokenizer and decoder, which the Hugging Face
   * library (DJL's or Python's {@code tokenizers}) reads to the same ids; a word-level tokenizer writes a
   * {@code WordLevel} model; a Hugging Face tokenizer gives back the text of its file.
   */
  String toJson();

  /** Writes {@link #toJson} to {@code file} (atomically: a temporary sibling renamed into place). */
  default void save(Path file) {
    TokenizerJson.save(this, file);
  }

  /**
   * Every id that never stands for text: padding, beginning and end of sequence, unknown, the role markers.
   * A sampler emits none of them except {@link #eosId()}, which ends a turn. The default lists padding,
   * beginning, end, unknown ({@link #unkId()}) and the role markers; a tokenizer with other specials adds them.
   */
  default int[] specialIds() {
    TreeSet<Integer> ids = new TreeSet<>();
    ids.add(padId());
    ids.add(eosId());
    if (bosId() >= 0) {
      ids.add(bosId());
    }
    unkId().ifPresent(ids::add);
    for (Role role : Role.values()) {
      roleId(role).ifPresent(ids::add);
    }
    return ids.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * The model's own chat template, when the tokenizer came with one (a Hugging Face model directory's
   * {@code chat_template}); the {@code djl-lm} agent then renders prompts with it instead of its built-in template.
   */
  default java.util.Optional<PromptRenderer> chatTemplate() {
    return java.util.Optional.empty();
  }

  /** Releases native memory, if any; idempotent. */
  @Override
  default void close() {}

  /**
   * A word-level tokenizer: the {@link #SPECIAL_TOKENS} get ids 0-7, then each distinct word of
   * {@code words} in order. Text is split into runs of letters, digits and underscores and into single other
   * characters; a piece not in the vocabulary is looked up lower-cased and else becomes {@code <unk>}.
   */
  static LmTokenizer wordLevel(List<String> words) {
    return new WordLevelTokenizer(words);
  }

  /** A word-level tokenizer whose words are the lines of a UTF-8 file (blank lines and {@code #} comments skipped). */
  static LmTokenizer wordLevel(Path vocabularyFile) {
    try {
      return new WordLevelTokenizer(Files.readAllLines(vocabularyFile, StandardCharsets.UTF_8).stream()
          .map(String::strip)
          .filter(l -> !l.isEmpty() && !l.startsWith("#"))
          .toList());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read vocabulary file " + vocabularyFile + ": " + e.getMessage(), e);
    }
  }

  /**
   * A byte-level BPE (GPT-2 style) trained on {@code texts}: the {@link #SPECIAL_TOKENS} (ids 0-7), the 256
   * bytes, then merges of the most frequent adjacent pair, ties to the smallest ids, until there are
   * {@code vocabSize} tokens or no pair occurs twice. Deterministic: the same texts (in any order) give the
   * same tokenizer. Every string encodes without an unknown token and decodes back to itself; text never
   * produces a special token.
   *
   * @param vocabSize the most tokens, 264 to 65536
   */
  static LmTokenizer byteLevelBpe(List<String> texts, int vocabSize) {
    return ByteLevelBpeTokenizer.train(texts, vocabSize);
  }

  /**
   * {@link #byteLevelBpe(List, int)} with {@code wholeTexts} among the {@code vocabSize} tokens, each one token
   * wherever it occurs (matched in the raw text first, as Hugging Face's non-special added tokens are).
   */
  static LmTokenizer byteLevelBpe(List<String> texts, int vocabSize, List<String> wholeTexts) {
    return ByteLevelBpeTokenizer.train(texts, vocabSize, wholeTexts);
  }

  /**
   * {@link #byteLevelBpe(List, int, List)} where each cell of a board drawn with the characters of {@code gridCells}
   * is one token: a character of the set that, with the rest of its line, is all cells is cut out before merging, so
   * no merge joins two cells (null for none). Saved in the file as a {@code Split} pre-tokenizer and read back.
   */
  static LmTokenizer byteLevelBpe(List<String> texts, int vocabSize, List<String> wholeTexts, String gridCells) {
    return ByteLevelBpeTokenizer.train(texts, vocabSize, wholeTexts, gridCells);
  }

  /**
   * The tokenizer in a {@code tokenizer.json} written by {@link #save}: a byte-level BPE or word-level file as
   * written here runs in Java (the same tokenizer that saved it); any other file is read by
   * {@link #huggingFace(Path)}.
   */
  static LmTokenizer read(Path tokenizerJson) {
    return TokenizerJson.read(tokenizerJson);
  }

  /**
   * A Hugging Face tokenizer from its {@code tokenizer.json}, loaded offline through DJL. Special tokens are
   * found by name among its added tokens and vocabulary: end of sequence ({@code <eos>}, {@code </s>},
   * {@code <|endoftext|>}, {@code <|im_end|>}, {@code [SEP]}; required), beginning ({@code <bos>}, {@code <s>},
   * {@code [CLS]}), padding ({@code <pad>}, {@code [PAD]}, {@code <|pad|>}) and the role markers
   * {@code <system>}, {@code <user>}, {@code <assistant>}, {@code <tool>}; a missing role marker is written
   * as text ({@code user:}).
   */
  static LmTokenizer huggingFace(Path tokenizerJson) {
    return HuggingFaceLmTokenizer.load(tokenizerJson);
  }
}
