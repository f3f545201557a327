package dev.ludus.agents.hf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.api.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The parts of a Hugging Face {@code config.json} that a Llama, Qwen2 or Qwen3 decoder needs, validated on
 * construction. {@link #parse} reads the file's JSON with the defaults of the Transformers classes of each
 * {@code model_type}.
 *
 * @param modelType {@code llama}, {@code qwen2} or {@code qwen3}
 * @param vocabSize rows of the embedding and of the vocabulary head
 * @param hiddenSize the model width
 * @param intermediateSize the width of the SwiGLU MLP
 * @param layers decoder layers
 * @param heads query heads
 * @param kvHeads key/value heads (grouped-query attention when fewer than {@code heads}; divides it)
 * @param headDim the width of one head ({@code head_dim}, else {@code hidden_size / num_attention_heads})
 * @param rmsNormEps the RMSNorm epsilon
 * @param rope the rotary position embedding
 * @param maxPositions {@code max_position_embeddings}
 * @param tieWordEmbeddings whether the vocabulary head is the embedding matrix
 * @param qkvBias whether the q, k and v projections have biases (Qwen2 always; Llama and Qwen3 with
 *     {@code attention_bias})
 * @param outputBias whether the attention's output projection has a bias (Llama and Qwen3 with
 *     {@code attention_bias})
 * @param mlpBias whether the MLP projections have biases (Llama's {@code mlp_bias})
 * @param qkNorm whether queries and keys are RMS-normalized per head before the rotation (Qwen3)
 */
public record HfConfig(String modelType, int vocabSize, int hiddenSize, int intermediateSize, int layers, int heads,
    int kvHeads, int headDim, double rmsNormEps, Rope rope, int maxPositions, boolean tieWordEmbeddings,
    boolean qkvBias, boolean outputBias, boolean mlpBias, boolean qkNorm) {

  /** The {@code model_type}s this package runs. */
  public static final List<String> SUPPORTED = List.of("llama", "qwen2", "qwen3");

  public HfConfig {
    if (!SUPPORTED.contains(modelType)) {
      throw new ConfigException("model_type '" + modelType + "' is not supported; supported: " + SUPPORTED);
    }
    positive("vocab_size", vocabSize);
    positive("hidden_size", hiddenSize);
    positive("intermediate_size", intermediateSize);
    positive("num_hidden_layers", layers);
    positive("num_attention_heads", heads);
    positive("num_key_value_heads", kvHeads);
    positive("head_dim", headDim);
    positive("max_position_embeddings", maxPositions);
    if (heads % kvHeads != 0) {
      throw new ConfigException("num_attention_heads (" + heads + ") must be a multiple of num_key_value_heads ("
          + kvHeads + ")");
    }
    if (headDim % 2 != 0) {
      throw new ConfigException("head_dim must be even for rotary embeddings, was " + headDim);
    }
    if (!(rmsNormEps > 0)) {
      throw new ConfigException("rms_norm_eps must be positive, was " + rmsNormEps);
    }
  }

  /**
   * Rotary position embeddings: {@code inv_freq[i] = theta^(-2i/headDim)}, then scaled.
   *
   * @param theta {@code rope_theta}
   * @param type {@code default}, {@code linear} (frequencies divided by {@code factor}) or {@code llama3}
   *     (Llama 3.1's piecewise scaling of low frequencies)
   * @param factor the scaling factor (1 for default)
   * @param lowFreqFactor llama3's {@code low_freq_factor}
   * @param highFreqFactor llama3's {@code high_freq_factor}
   * @param originalMaxPositions llama3's {@code original_max_position_embeddings}
   */
  public record Rope(double theta, String type, double factor, double lowFreqFactor, double highFreqFactor,
      int originalMaxPositions) {
    /** The scaling types this package computes. */
    public static final List<String> TYPES = List.of("default", "linear", "llama3");

    public Rope {
      if (!TYPES.contains(type)) {
        throw new ConfigException("rope_scaling type '" + type + "' is not supported; supported: " + TYPES);
      }
      if (!(theta > 0) || !(factor > 0)) {
        throw new ConfigException("rope_theta and rope_scaling.factor must be positive, were " + theta + " and "
            + factor);
      }
    }

    /** The inverse frequencies (headDim / 2) after scaling, in double precision. */
    public double[] inverseFrequencies(int headDim) {
      double[] f = new double[headDim / 2];
      for (int i = 0; i < f.length; i++) {
        f[i] = 1.0 / Math.pow(theta, (2.0 * i) / headDim);
      }
      switch (type) {
        case "linear" -> {
          for (int i = 0; i < f.length; i++) {
            f[i] /= factor;
          }
        }
        case "llama3" -> {
          double lowWavelength = originalMaxPositions / lowFreqFactor;
          double highWavelength = originalMaxPositions / highFreqFactor;
          for (int i = 0; i < f.length; i++) {
            double wavelength = 2 * Math.PI / f[i];
            if (wavelength > lowWavelength) {
              f[i] /= factor;
            } else if (wavelength >= highWavelength) {
              double smooth = (originalMaxPositions / wavelength - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
              f[i] = (1 - smooth) * f[i] / factor + smooth * f[i];
            }
          }
        }
        default -> { }
      }
      return f;
    }
  }

  /** Reads a {@code config.json} tree, with each model type's Transformers defaults for missing fields. */
  public static HfConfig parse(JsonNode c) {
    String type = c.path("model_type").asText("");
    if (!SUPPORTED.contains(type)) {
      throw new ConfigException("config.json has model_type '" + type + "', which is not supported; supported: "
          + SUPPORTED);
    }
    if (c.path("use_sliding_window").asBoolean(false)) {
      throw new ConfigException("config.json sets use_sliding_window, which is not supported (full attention only)");
    }
    int hidden = required(c, "hidden_size");
    int heads = required(c, "num_attention_heads");
    int kvHeads = c.path("num_key_value_heads").asInt(heads);
    int headDim = c.hasNonNull("head_dim") ? c.path("head_dim").asInt() : hidden / heads;
    boolean attentionBias = c.path("attention_bias").asBoolean(false);
    boolean qwen2 = type.equals("qwen2");
    boolean qwen3 = type.equals("qwen3");
    boolean tieDefault = false;
    JsonNode scaling = c.path("rope_scaling");
    Rope rope;
    double theta = c.path("rope_theta").asDouble(10000.0);
    if (scaling.isObject()) {
      String ropeType = scaling.path("rope_type").asText(scaling.path("type").asText("default"))
          .toLowerCase(Locale.ROOT);
      rope = new Rope(theta, ropeType, scaling.path("factor").asDouble(1.0),
          scaling.path("low_freq_factor").asDouble(1.0), scaling.path("high_freq_factor").asDouble(4.0),
          scaling.path("original_max_position_embeddings").asInt(8192));
    } else {
      rope = new Rope(theta, "default", 1.0, 1.0, 4.0, 8192);
    }
    if (c.path("partial_rotary_factor").asDouble(1.0) != 1.0) {
      throw new ConfigException("config.json sets partial_rotary_factor, which is not supported (1.0 only)");
    }
    String act = c.path("hidden_act").asText("silu");
    if (!act.equals("silu")) {
      throw new ConfigException("config.json has hidden_act '" + act + "'; only silu (SwiGLU) is supported");
    }
    return new HfConfig(type, required(c, "vocab_size"), hidden, required(c, "intermediate_size"),
        required(c, "num_hidden_layers"), heads, kvHeads, headDim, c.path("rms_norm_eps").asDouble(1e-6), rope,
        c.path("max_position_embeddings").asInt(2048), c.path("tie_word_embeddings").asBoolean(tieDefault),
        qwen2 || attentionBias, !qwen2 && attentionBias, !qwen2 && !qwen3 && c.path("mlp_bias").asBoolean(false),
        qwen3);
  }

  /** The Hugging Face names of one layer's projections that LoRA may target. */
  public static List<String> projections() {
    return new ArrayList<>(List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"));
  }

  private static int required(JsonNode c, String field) {
    if (!c.path(field).canConvertToInt()) {
      throw new ConfigException("config.json has no integer '" + field + "'");
    }
    return c.path(field).asInt();
  }

  private static void positive(String field, int value) {
    if (value < 1) {
      throw new ConfigException(field + " must be positive, was " + value);
    }
  }
}
