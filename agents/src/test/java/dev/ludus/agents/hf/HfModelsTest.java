package dev.ludus.agents.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.agents.djl.LanguageModel;
import dev.ludus.api.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HfModelsTest {
  @TempDir
  Path dir;

  @Test
  void aDirectoryWithoutConfigJson_isRefusedNamingTheFile() throws Exception {
    Files.createDirectories(dir.resolve("m"));
    ConfigException e = assertThrows(ConfigException.class, () -> HfModels.load(dir.resolve("m"), "cpu", null,
        false, 0));
    assertTrue(e.getMessage().contains("config.json"), e.getMessage());
  }

  @Test
  void aDirectoryWithoutWeights_isRefusedNamingBothWeightFiles() throws Exception {
    Path m = Files.createDirectories(dir.resolve("m"));
    new ObjectMapper().writeValue(m.resolve("config.json").toFile(), TinyHfModels.qwen3());
    ConfigException e = assertThrows(ConfigException.class, () -> HfModels.load(m, "cpu", null, false, 0));
    assertTrue(e.getMessage().contains("model.safetensors") && e.getMessage().contains("index.json"),
        e.getMessage());
  }

  @Test
  void anIndexNamingAMissingShard_isRefusedNamingTheShard() throws Exception {
    Path m = TinyHfModels.write(dir.resolve("sharded-missing"), TinyHfModels.qwen3(), true);
    Files.delete(m.resolve("model-00002-of-00002.safetensors"));
    ConfigException e = assertThrows(ConfigException.class, () -> HfModels.load(m, "cpu", null, false, 0));
    assertTrue(e.getMessage().contains("model-00002-of-00002.safetensors"), e.getMessage());
  }

  @Test
  void anotherModelType_isRefusedListingTheSupportedOnes() throws Exception {
    Path m = Files.createDirectories(dir.resolve("m"));
    ObjectNode c = TinyHfModels.qwen3();
    c.put("model_type", "gpt2");
    new ObjectMapper().writeValue(m.resolve("config.json").toFile(), c);
    ConfigException e = assertThrows(ConfigException.class, () -> HfModels.load(m, "cpu", null, false, 0));
    assertTrue(e.getMessage().contains("gpt2") && e.getMessage().contains("[llama, qwen2, qwen3]"), e.getMessage());
  }

  @Test
  void anUnsupportedRopeScaling_isRefusedListingTheSupportedOnes() {
    ObjectNode c = TinyHfModels.llama();
    ((ObjectNode) c.path("rope_scaling")).put("rope_type", "yarn");
    ConfigException e = assertThrows(ConfigException.class, () -> HfConfig.parse(c));
    assertTrue(e.getMessage().contains("yarn") && e.getMessage().contains("llama3"), e.getMessage());
  }

  @Test
  void aMissingWeight_isRefusedNamingIt() throws Exception {
    Path m = TinyHfModels.write(dir.resolve("untied-as-tied"), TinyHfModels.qwen3(), false);
    ObjectNode c = TinyHfModels.qwen3();
    c.put("tie_word_embeddings", false); // now lm_head.weight is needed, and the file has none
    new ObjectMapper().writeValue(m.resolve("config.json").toFile(), c);
    ConfigException e = assertThrows(ConfigException.class, () -> HfModels.load(m, "cpu", null, false, 0));
    assertTrue(e.getMessage().contains("lm_head.weight"), e.getMessage());
  }

  @Test
  void aCheckpointOfAnHfModel_loadsBackWithTheSameLogits() throws Exception {
    Path m = TinyHfModels.write(dir.resolve("checkpoint-source"), TinyHfModels.llama(), false);
    try (LanguageModel lm = HfModels.load(m, "cpu", null, false, 0)) {
      lm.save(dir.resolve("ckpt"));
      try (LanguageModel back = LanguageModel.load(dir.resolve("ckpt"), "cpu")) {
        float[] a = lm.forward(java.util.List.of(new int[] {3, 9, 27}))[0][2];
        float[] b = back.forward(java.util.List.of(new int[] {3, 9, 27}))[0][2];
        assertEquals(a.length, b.length);
        for (int i = 0; i < a.length; i++) {
          assertEquals(a[i], b[i], 1e-6, "logit " + i);
        }
        assertTrue(back.architecture().isPresent(), "the checkpoint remembers its architecture");
      }
    }
  }
}
