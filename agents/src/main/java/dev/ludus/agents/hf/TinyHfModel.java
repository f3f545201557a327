package dev.ludus.agents.hf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.agents.djl.Architecture;
import dev.ludus.agents.djl.LanguageModel;
import dev.ludus.agents.djl.LmTokenizer;
import dev.ludus.api.Seeds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes a tiny random Qwen3-architecture model in the Hugging Face layout, to try the Hugging Face path end to end on
 * a CPU in seconds (examples/hf is one): a byte-level BPE of at most 512 tokens trained on {@code texts} as
 * {@code tokenizer.json}, a ChatML-like {@code chat_template} on its special tokens ({@code <user>...<eos>}), a
 * {@code config.json} (2 layers, width 64, 4 query and 2 key/value heads of width 16, tied embeddings) and
 * {@code model.safetensors} drawn from {@code seed}. Deterministic: the same texts and seed give the same files.
 *
 * <p>The final norm's gain is {@link #FINAL_NORM_GAIN}, not 1: with a tied embedding of std 0.02 behind a unit
 * RMSNorm every logit stays within about 0.02 x |hidden| (about 1.3 nats), so no adapter could make the next-token
 * distribution peaked and LoRA learned nothing beyond the argmax. A pretrained model's final norm has large gains
 * (and its embedding rows are far from random); a gain of 10 gives this random model a logit range a frozen head
 * lets adapters use (a target aligned with the hidden state reaches about 13 nats over random rows of std 1.6),
 * while its other weights keep the usual initialisation.
 */
public final class TinyHfModel {
  /** The chat template: each message as {@code <role>content<eos>}, then {@code <assistant>}. */
  public static final String CHAT_TEMPLATE = "{%- for message in messages %}{{ '<' + message.role + '>' + "
      + "message.content + '<eos>' }}{%- endfor %}{%- if add_generation_prompt %}{{ '<assistant>' }}{%- endif %}";

  /** The weight of the last RMSNorm (before the tied LM head): large, as in pretrained models. */
  static final float FINAL_NORM_GAIN = 10f;

  private TinyHfModel() {}

  /** Writes the model into {@code directory} (created). */
  public static void write(Path directory, List<String> texts, long seed) {
    ObjectMapper json = new ObjectMapper();
    try (LmTokenizer tokenizer = LmTokenizer.byteLevelBpe(texts, 512)) {
      Files.createDirectories(directory);
      tokenizer.save(directory.resolve(HfTokenizer.TOKENIZER));
      ObjectNode tc = json.createObjectNode();
      tc.put("eos_token", "<eos>").put("pad_token", "<pad>").putNull("bos_token");
      tc.put("chat_template", CHAT_TEMPLATE);
      json.writerWithDefaultPrettyPrinter().writeValue(directory.resolve(HfTokenizer.TOKENIZER_CONFIG).toFile(), tc);
      ObjectNode gc = json.createObjectNode();
      gc.put("eos_token_id", tokenizer.eosId());
      json.writerWithDefaultPrettyPrinter().writeValue(directory.resolve(HfTokenizer.GENERATION_CONFIG).toFile(), gc);
      ObjectNode c = json.createObjectNode();
      c.put("model_type", "qwen3").put("vocab_size", tokenizer.vocabSize()).put("hidden_size", 64)
          .put("intermediate_size", 128).put("num_hidden_layers", 2).put("num_attention_heads", 4)
          .put("num_key_value_heads", 2).put("head_dim", 16).put("rms_norm_eps", 1e-6).put("rope_theta", 10000.0)
          .put("max_position_embeddings", 1024).put("tie_word_embeddings", true).put("hidden_act", "silu");
      json.writerWithDefaultPrettyPrinter().writeValue(directory.resolve(HfModels.CONFIG).toFile(), c);
      weights(directory, c, seed);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a tiny model to " + directory + ": " + e.getMessage(), e);
    }
  }

  /**
   * Normal weights (std 0.02, the output projections scaled by 1/sqrt(2 layers)), unit norms but the final one
   * ({@code model.norm.weight}, {@link #FINAL_NORM_GAIN}).
   */
  static void weights(Path directory, ObjectNode c, long seed) {
    HfArchitecture architecture = new HfArchitecture(c, directory, null);
    LanguageModel.Spec spec = architecture.spec(false);
    HfDecoder decoder = (HfDecoder) ((Architecture) architecture).newBlock(spec);
    System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
    try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu(), "PyTorch")) {
      Map<String, NDArray> tensors = new LinkedHashMap<>();
      int index = 0;
      double residual = 0.02 / Math.sqrt(2.0 * c.path("num_hidden_layers").asInt());
      for (var p : decoder.namedParameters().entrySet()) {
        Shape shape = p.getValue().getShape();
        float[] v = new float[Math.toIntExact(shape.size())];
        Random rng = new Random(Seeds.mix(seed, index++));
        boolean norm = p.getKey().endsWith("norm.weight");
        boolean finalNorm = p.getKey().equals("model.norm.weight");
        double std = p.getKey().contains("o_proj") || p.getKey().contains("down_proj") ? residual : 0.02;
        for (int i = 0; i < v.length; i++) {
          v[i] = norm ? (finalNorm ? FINAL_NORM_GAIN : 1f) : p.getKey().endsWith(".bias") ? 0f : (float) (rng.nextGaussian() * std);
        }
        tensors.put(p.getKey(), m.create(v, shape));
      }
      SafeTensors.write(directory.resolve(SafeTensors.SINGLE), tensors);
    }
  }
}
