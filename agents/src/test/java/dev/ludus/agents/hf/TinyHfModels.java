package dev.ludus.agents.hf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Tiny random decoders of each supported architecture written in the Hugging Face layout ({@code config.json},
 * {@code model.safetensors} or two shards and their index), with tensor names and shapes written from Transformers'
 * conventions here rather than taken from the code under test.
 */
final class TinyHfModels {
  static final int VOCAB = 64;
  private static final ObjectMapper JSON = new ObjectMapper();

  private TinyHfModels() {}

  /** Llama with grouped-query attention, llama3 rope scaling and an untied head. */
  static ObjectNode llama() {
    ObjectNode c = base("llama", 8);
    c.put("tie_word_embeddings", false);
    ObjectNode s = c.putObject("rope_scaling");
    s.put("rope_type", "llama3");
    s.put("factor", 8.0);
    s.put("low_freq_factor", 1.0);
    s.put("high_freq_factor", 4.0);
    s.put("original_max_position_embeddings", 16);
    return c;
  }

  /** Qwen2: biases on q, k and v, tied embeddings, linear rope scaling. */
  static ObjectNode qwen2() {
    ObjectNode c = base("qwen2", 8);
    c.put("tie_word_embeddings", true);
    ObjectNode s = c.putObject("rope_scaling");
    s.put("type", "linear");
    s.put("factor", 2.0);
    return c;
  }

  /** Qwen3: per-head q/k RMSNorm, a head width that is not hidden/heads, tied embeddings. */
  static ObjectNode qwen3() {
    ObjectNode c = base("qwen3", 16);
    c.put("tie_word_embeddings", true);
    return c;
  }

  private static ObjectNode base(String type, int headDim) {
    ObjectNode c = JSON.createObjectNode();
    c.put("model_type", type);
    c.put("vocab_size", VOCAB);
    c.put("hidden_size", 32);
    c.put("intermediate_size", 48);
    c.put("num_hidden_layers", 2);
    c.put("num_attention_heads", 4);
    c.put("num_key_value_heads", 2);
    c.put("head_dim", headDim);
    c.put("rms_norm_eps", 1e-6);
    c.put("rope_theta", 500.0);
    c.put("max_position_embeddings", 128);
    c.put("hidden_act", "silu");
    return c;
  }

  /** {@link #write(Path, ObjectNode, long, boolean, NDManager)} with seed 7 on a manager of its own. */
  static Path write(Path dir, ObjectNode config, boolean sharded) {
    System.setProperty("ai.djl.offline", "true");
    try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu(), "PyTorch")) {
      return write(dir, config, 7, sharded, m);
    }
  }

  /** Writes {@code config} and random weights drawn from {@code seed} into {@code dir}; two shards if asked. */
  static Path write(Path dir, ObjectNode config, long seed, boolean sharded, NDManager manager) {
    try {
      Files.createDirectories(dir);
      JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, long[]> shapes = shapes(config);
    Random rng = new Random(seed);
    Map<String, NDArray> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : shapes.entrySet()) {
      int n = 1;
      for (long d : e.getValue()) {
        n *= (int) d;
      }
      float[] v = new float[n];
      boolean norm = e.getKey().endsWith("norm.weight");
      for (int i = 0; i < n; i++) {
        v[i] = norm ? (float) (1 + 0.2 * rng.nextGaussian()) : (float) (0.3 * rng.nextGaussian());
      }
      tensors.put(e.getKey(), manager.create(v, new Shape(e.getValue())));
    }
    if (!sharded) {
      SafeTensors.write(dir.resolve("model.safetensors"), tensors);
      return dir;
    }
    List<String> names = new ArrayList<>(tensors.keySet());
    Map<String, NDArray> first = new LinkedHashMap<>();
    Map<String, NDArray> second = new LinkedHashMap<>();
    ObjectNode index = JSON.createObjectNode();
    ObjectNode map = index.putObject("weight_map");
    for (int i = 0; i < names.size(); i++) {
      String shard = i < names.size() / 2 ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors";
      (i < names.size() / 2 ? first : second).put(names.get(i), tensors.get(names.get(i)));
      map.put(names.get(i), shard);
    }
    SafeTensors.write(dir.resolve("model-00001-of-00002.safetensors"), first);
    SafeTensors.write(dir.resolve("model-00002-of-00002.safetensors"), second);
    try {
      JSON.writeValue(dir.resolve("model.safetensors.index.json").toFile(), index);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }

  /** Transformers' tensor names and shapes for {@code config}. */
  static Map<String, long[]> shapes(ObjectNode c) {
    String type = c.path("model_type").asText();
    long v = c.path("vocab_size").asLong();
    long h = c.path("hidden_size").asLong();
    long inter = c.path("intermediate_size").asLong();
    long heads = c.path("num_attention_heads").asLong();
    long kv = c.path("num_key_value_heads").asLong();
    long d = c.path("head_dim").asLong();
    Map<String, long[]> s = new LinkedHashMap<>();
    s.put("model.embed_tokens.weight", new long[] {v, h});
    for (int i = 0; i < c.path("num_hidden_layers").asInt(); i++) {
      String p = "model.layers." + i + ".";
      s.put(p + "input_layernorm.weight", new long[] {h});
      s.put(p + "self_attn.q_proj.weight", new long[] {heads * d, h});
      s.put(p + "self_attn.k_proj.weight", new long[] {kv * d, h});
      s.put(p + "self_attn.v_proj.weight", new long[] {kv * d, h});
      if (type.equals("qwen2")) {
        s.put(p + "self_attn.q_proj.bias", new long[] {heads * d});
        s.put(p + "self_attn.k_proj.bias", new long[] {kv * d});
        s.put(p + "self_attn.v_proj.bias", new long[] {kv * d});
      }
      s.put(p + "self_attn.o_proj.weight", new long[] {h, heads * d});
      if (type.equals("qwen3")) {
        s.put(p + "self_attn.q_norm.weight", new long[] {d});
        s.put(p + "self_attn.k_norm.weight", new long[] {d});
      }
      s.put(p + "post_attention_layernorm.weight", new long[] {h});
      s.put(p + "mlp.gate_proj.weight", new long[] {inter, h});
      s.put(p + "mlp.up_proj.weight", new long[] {inter, h});
      s.put(p + "mlp.down_proj.weight", new long[] {h, inter});
    }
    s.put("model.norm.weight", new long[] {h});
    if (!c.path("tie_word_embeddings").asBoolean(false)) {
      s.put("lm_head.weight", new long[] {v, h});
    }
    return s;
  }
}
