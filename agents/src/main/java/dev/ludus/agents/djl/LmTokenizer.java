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
 * Text to token ids and back, with the special tokens a chat model needs. Two kinds exist: a word-level
 * tokenizer built from a vocabulary ({@link #wordLevel(List)}) and a Hugging Face {@code tokenizer.json}
 * read through DJL's native tokenizers library ({@link #huggingFace(Path)}).
 *
 * <p>Thread-safety: implementations are immutable after construction and safe to share. Life-cycle: the
 * Hugging Face tokenizer holds native memory, so whoever creates a tokenizer closes it; closing a word-level
 * tokenizer does nothing.
 */
public interface LmTokenizer extends AutoCloseable {
  /** The special tokens of a word-level vocabulary, with ids 0 to 7 in this order. */
  List<String> SPECIAL_TOKENS =
      List.of("<pad>", "<bos>", "<eos>", "<unk>", "<system>", "<user>", "<assistant>", "<tool>");

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
   * Every id that never stands for text: padding, beginning and end of sequence, unknown, the role markers.
   * A sampler emits none of them except {@link #eosId()}, which ends a turn. The default lists padding,
   * beginning, end and the role markers; a tokenizer with an unknown token (or other specials) adds them.
   */
  default int[] specialIds() {
    TreeSet<Integer> ids = new TreeSet<>();
    ids.add(padId());
    ids.add(eosId());
    if (bosId() >= 0) {
      ids.add(bosId());
    }
    for (Role role : Role.values()) {
      roleId(role).ifPresent(ids::add);
    }
    return ids.stream().mapToInt(Integer::intValue).toArray();
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
