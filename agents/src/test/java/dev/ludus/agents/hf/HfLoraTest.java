package dev.ludus.agents.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ludus.agents.djl.LanguageModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HfLoraTest {
  @TempDir
  Path dir;

  @Test
  void loraOptions_freezeTheBaseAndTrainOnlyAdapters_whichStartAsTheBaseModel() throws Exception {
    Path m = TinyHfModels.write(dir.resolve("m"), TinyHfModels.qwen3(), false);
    HfLocation l = HfLocation.parse(m + "?lora=4&alpha=8&targets=q_proj,v_proj,down_proj");
    try (LanguageModel base = HfModels.load(m, "cpu", null, false, 0);
        LanguageModel adapted = HfModels.load(m, "cpu", l.lora(), false, 0)) {
      long trainable = adapted.parameters().values().stream().filter(p -> p.requiresGradient()).count();
      assertEquals(2 * 3 * 2, trainable, "two layers, three adapted projections, an A and a B each");
      float[] a = base.forward(List.of(new int[] {5, 6, 7}))[0][2];
      float[] b = adapted.forward(List.of(new int[] {5, 6, 7}))[0][2];
      for (int i = 0; i < a.length; i++) {
        assertEquals(a[i], b[i], 1e-5, "B starts at zero, so the adapted model starts as the base model");
      }
    }
  }

  @Test
  void aLoraCheckpoint_holdsTheAdaptersInPeftsLayout() throws Exception {
    Path m = TinyHfModels.write(dir.resolve("m"), TinyHfModels.llama(), false);
    LoraConfig lora = new LoraConfig(2, 4, 0.05, List.of("q_proj", "o_proj"));
    try (LanguageModel adapted = HfModels.load(m, "cpu", lora, false, 0)) {
      adapted.save(dir.resolve("ckpt"));
    }
    JsonNode c = new ObjectMapper().readTree(dir.resolve("ckpt/adapter_config.json").toFile());
    assertEquals("LORA", c.path("peft_type").asText());
    assertEquals(2, c.path("r").asInt());
    assertEquals(4.0, c.path("lora_alpha").asDouble());
    assertEquals("[\"q_proj\",\"o_proj\"]", c.path("target_modules").toString());
    String header = safetensorsHeader(dir.resolve("ckpt/adapter_model.safetensors"));
    assertTrue(header.contains("\"base_model.model.model.layers.1.self_attn.o_proj.lora_B.weight\""), header);
    assertTrue(!header.contains("embed_tokens"), "only adapters are in the adapter file");
  }

  @Test
  void trainedAdapters_roundTripThroughPeftsLayout_andMergeIntoPlainWeightsTheReferenceAgreesWith() throws Exception {
    Path m = TinyHfModels.write(dir.resolve("m"), TinyHfModels.qwen2(), false);
    LoraConfig lora = new LoraConfig(3, 6, 0, List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj",
        "down_proj"));
    List<int[]> seqs = List.of(new int[] {5, 6, 7, 40, 2, 19});
    float[][] adaptedLogits;
    try (LanguageModel adapted = HfModels.load(m, "cpu", lora, false, 0)) {
      java.util.Random rng = new java.util.Random(1);
      adapted.update(() -> adapted.parameters().forEach(p -> {
        if (p.getKey().contains("lora_B")) {
          float[] v = new float[Math.toIntExact(p.getValue().getArray().getShape().size())];
          for (int i = 0; i < v.length; i++) {
            v[i] = (float) (0.3 * rng.nextGaussian());
          }
          p.getValue().getArray().set(v);
        }
      }));
      adaptedLogits = adapted.forward(seqs)[0];
      adapted.save(dir.resolve("ckpt"));
      HfModels.exportMerged(adapted, dir.resolve("merged"));
    }
    try (LanguageModel back = HfModels.loadWithAdapters(m, dir.resolve("ckpt"), "cpu", false, 9)) {
      HfNumericsTest.assertClose(toDouble(adaptedLogits), back.forward(seqs)[0], "adapters read back from PEFT files");
    }
    try (LanguageModel merged = HfModels.load(dir.resolve("merged"), "cpu", null, false, 0)) {
      HfNumericsTest.assertClose(toDouble(adaptedLogits), merged.forward(seqs)[0], "merged weights");
    }
    // the independent reference reads the merged directory as a plain model: its logits are the adapted model's
    double[][][] reference = NumpyReference.logits(dir.resolve("merged"), seqs);
    HfNumericsTest.assertClose(reference[0], adaptedLogits, "numpy on the merged export");
    assertTrue(Math.abs(adaptedLogits[5][3] - baseLogit(m, seqs)) > 1e-3, "the adapters changed the model");
  }

  private static float baseLogit(Path m, List<int[]> seqs) {
    try (LanguageModel base = HfModels.load(m, "cpu", null, false, 0)) {
      return base.forward(seqs)[0][5][3];
    }
  }

  private static double[][] toDouble(float[][] a) {
    double[][] out = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      out[i] = new double[a[i].length];
      for (int j = 0; j < a[i].length; j++) {
        out[i][j] = a[i][j];
      }
    }
    return out;
  }

  @Test
  void aCheckpointOfAnHfRun_keepsTheModelsTokenizerWithItsChatTemplate() throws Exception {
    Path tiny = TinyExampleModelTest.EXAMPLE;
    dev.ludus.agents.djl.DjlLmAgentProvider.Config config = dev.ludus.agents.djl.DjlLmAgentProvider.Config.defaults()
        .withCheckpoint("hf:" + tiny + "?lora=2&thinking=false");
    try (var agent = (dev.ludus.agents.djl.DjlLmAgent) new dev.ludus.agents.djl.DjlLmAgentProvider().create(config,
        null)) {
      agent.model().save(dir.resolve("policy"));
      agent.tokenizer().save(dir.resolve("policy/tokenizer.json"));
      try (var back = dev.ludus.agents.djl.DjlLmAgentProvider.tokenizer(
          dev.ludus.agents.djl.DjlLmAgentProvider.Config.defaults().withCheckpoint(dir.resolve("policy").toString())
              .withBpe(dev.ludus.agents.djl.DjlLmAgentProvider.Bpe.of(512, List.of("the recipe's default"))))) {
        assertTrue(back.chatTemplate().isPresent(), "the resumed tokenizer renders with the model's chat template");
        assertEquals(agent.tokenizer().eosId(), back.eosId());
        HfTokenizer hf = (HfTokenizer) back;
        assertEquals("<user>hi<eos><assistant>",
            hf.template().orElseThrow().text(List.of(dev.ludus.api.Message.user("hi")), List.of(), true));
      }
    }
  }

  /** The JSON header of a safetensors file, read by hand (8-byte little-endian length, then the JSON). */
  static String safetensorsHeader(Path file) throws Exception {
    byte[] all = Files.readAllBytes(file);
    long n = java.nio.ByteBuffer.wrap(all, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    return new String(all, 8, (int) n, java.nio.charset.StandardCharsets.UTF_8);
  }
}
