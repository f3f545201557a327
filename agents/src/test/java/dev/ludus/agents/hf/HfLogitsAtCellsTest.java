package dev.ludus.agents.hf;

import dev.ludus.agents.djl.LanguageModel;
import dev.ludus.agents.djl.LogitsAtCellsTest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HF decoder's vocabulary head at a few cells: the full logits there, the same values and gradients. */
class HfLogitsAtCellsTest {
  @TempDir
  Path dir;

  @Test
  void aLoraQwen3WithTiedEmbeddingsAndAValueHeadGivesTheFullLogitsAtTheCellsWithTheSameGradients() {
    Path m = TinyHfModels.write(dir.resolve("m"), TinyHfModels.qwen3(), false);
    LoraConfig lora = new LoraConfig(2, 4, 0, List.of("q_proj", "v_proj", "down_proj"));
    try (LanguageModel model = HfModels.load(m, "cpu", lora, true, 3)) {
      LogitsAtCellsTest.assertSameAsFull(model, true);
    }
  }

  @Test
  void aLlamaWithItsOwnLmHeadGivesTheFullLogitsAtTheCells() {
    Path m = TinyHfModels.write(dir.resolve("m"), TinyHfModels.llama(), false);
    LoraConfig lora = new LoraConfig(2, 4, 0, List.of("q_proj", "o_proj"));
    try (LanguageModel model = HfModels.load(m, "cpu", lora, false, 4)) {
      LogitsAtCellsTest.assertSameAsFull(model, false);
    }
  }
}
