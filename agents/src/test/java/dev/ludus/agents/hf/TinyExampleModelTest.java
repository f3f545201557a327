package dev.ludus.agents.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/hf/tiny-qwen3 is exactly what {@link TinyHfModel#write} makes from {@link #TEXTS} and seed 0 (run with
 * {@code -Dludus.regenerate=true} to write it again after changing either).
 */
class TinyExampleModelTest {
  /** guess-number's phrases, so that the example's byte-level BPE has merges for its words. */
  static final List<String> TEXTS = List.of(
      "Let's play a guessing game. I am thinking of a whole number between 1 and 8 (both included). Each turn, guess "
          + "one number; I will answer 'higher' if my number is greater than your guess, 'lower' if it is smaller, "
          + "or 'correct'. Guessing it ends the game with reward 1; nothing else is rewarded. You have 4 guesses. "
          + "Write your guess as a number, for example <answer>4</answer>.",
      "Make your first guess (a number between 1 and 8).",
      "Higher: my number is greater than 4. You have 3 guesses left.",
      "Lower: my number is smaller than 6. You have 2 guesses left.",
      "Correct! My number is 5. You found it in 3 guesses.",
      "<answer>1</answer> <answer>2</answer> <answer>3</answer> <answer>4</answer> <answer>5</answer> "
          + "<answer>6</answer> <answer>7</answer> <answer>8</answer>");
  static final Path EXAMPLE = Path.of("..", "examples", "hf", "tiny-qwen3");

  @Test
  void theExampleModel_isWhatTheWriterMakes(@TempDir Path dir) throws Exception {
    if (Boolean.getBoolean("ludus.regenerate")) {
      TinyHfModel.write(EXAMPLE, TEXTS, 0);
    }
    TinyHfModel.write(dir, TEXTS, 0);
    for (String f : List.of("config.json", "tokenizer.json", "tokenizer_config.json", "generation_config.json",
        "model.safetensors")) {
      assertArrayEquals(Files.readAllBytes(dir.resolve(f)), Files.readAllBytes(EXAMPLE.resolve(f)), f);
    }
  }
}
