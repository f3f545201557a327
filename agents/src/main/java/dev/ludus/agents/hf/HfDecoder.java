package dev.ludus.agents.hf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import dev.ludus.agents.djl.CausalLmBlock;
import dev.ludus.agents.djl.LanguageModel;
import dev.ludus.agents.djl.Rotary;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Llama-family decoder (Llama, Qwen2, Qwen3) as one DJL block whose parameters carry their Hugging Face names
 * ({@code model.layers.0.self_attn.q_proj.weight}, ...), so weights load by name from safetensors and adapters save
 * under PEFT's names.
 *
 * <p>Per layer: {@code h = x + o_proj(attention(rope(q), rope(k), v))} on {@code RMSNorm(x)}, then
 * {@code h + down_proj(silu(gate_proj(n)) * up_proj(n))} on {@code n = RMSNorm(h)}. Queries, keys and values are
 * linear projections (with biases for Qwen2), Qwen3 RMS-normalizes each query and key head before the rotation,
 * rotary embeddings rotate the two halves of each head ({@code rotate_half}) by position times inverse frequency, and
 * grouped-query attention repeats each key/value head for its {@code heads / kvHeads} query heads. The cache holds
 * the keys (after rotation) and values of the key/value heads only. A final RMSNorm and the vocabulary head (the
 * embedding matrix when tied) give the logits; an optional scalar value head reads the same hidden states.
 *
 * <p>LoRA ({@link LoraConfig}): each targeted projection gets {@code lora_A} and {@code lora_B}; the base weights then
 * require no gradient, so a learner trains only the adapters (and the value head). fp32 throughout.
 */
final class HfDecoder extends CausalLmBlock {
  private static final byte VERSION = 1;
  static final String VALUE_HEAD = "v_head";

  private final HfConfig config;
  private final LanguageModel.Spec spec;
  private final LoraConfig lora;
  private final float[] inverseFrequencies;
  private final Map<String, Parameter> params = new LinkedHashMap<>();

  HfDecoder(HfConfig config, LanguageModel.Spec spec, LoraConfig lora) {
    super(VERSION);
    this.config = config;
    this.spec = spec;
    this.lora = lora;
    double[] f = config.rope().inverseFrequencies(config.headDim());
    inverseFrequencies = new float[f.length];
    for (int i = 0; i < f.length; i++) {
      inverseFrequencies[i] = (float) f[i];
    }
    boolean base = lora == null;
    int h = config.hiddenSize();
    int d = config.headDim();
    add("model.embed_tokens.weight", Parameter.Type.WEIGHT, base, config.vocabSize(), h);
    for (int i = 0; i < config.layers(); i++) {
      String p = "model.layers." + i + ".";
      add(p + "input_layernorm.weight", Parameter.Type.GAMMA, base, h);
      projection(p + "self_attn.q_proj", config.heads() * d, h, config.qkvBias());
      projection(p + "self_attn.k_proj", config.kvHeads() * d, h, config.qkvBias());
      projection(p + "self_attn.v_proj", config.kvHeads() * d, h, config.qkvBias());
      projection(p + "self_attn.o_proj", h, config.heads() * d, config.outputBias());
      if (config.qkNorm()) {
        add(p + "self_attn.q_norm.weight", Parameter.Type.GAMMA, base, d);
        add(p + "self_attn.k_norm.weight", Parameter.Type.GAMMA, base, d);
      }
      add(p + "post_attention_layernorm.weight", Parameter.Type.GAMMA, base, h);
      projection(p + "mlp.gate_proj", config.intermediateSize(), h, config.mlpBias());
      projection(p + "mlp.up_proj", config.intermediateSize(), h, config.mlpBias());
      projection(p + "mlp.down_proj", h, config.intermediateSize(), config.mlpBias());
    }
    add("model.norm.weight", Parameter.Type.GAMMA, base, h);
    if (!config.tieWordEmbeddings()) {
      add("lm_head.weight", Parameter.Type.WEIGHT, base, config.vocabSize(), h);
    }
    if (spec.valueHead()) {
      add(VALUE_HEAD + ".weight", Parameter.Type.WEIGHT, true, 1, h);
      add(VALUE_HEAD + ".bias", Parameter.Type.BIAS, true, 1);
    }
  }

  private void projection(String name, int out, int in, boolean bias) {
    boolean base = lora == null;
    add(name + ".weight", Parameter.Type.WEIGHT, base, out, in);
    if (bias) {
      add(name + ".bias", Parameter.Type.BIAS, base, out);
    }
    if (lora != null && lora.targetModules().contains(name.substring(name.lastIndexOf('.') + 1))) {
      add(name + ".lora_A.weight", Parameter.Type.WEIGHT, true, lora.rank(), in);
      add(name + ".lora_B.weight", Parameter.Type.WEIGHT, true, out, lora.rank());
    }
  }

  private void add(String name, Parameter.Type type, boolean trainable, long... shape) {
    params.put(name, addParameter(Parameter.builder().setName(name).setType(type).optShape(new Shape(shape))
        .optRequiresGrad(trainable).build()));
  }

  HfConfig config() {
    return config;
  }

  LoraConfig lora() {
    return lora;
  }

  /** The parameter named {@code name} (its Hugging Face name), or null. */
  Parameter parameter(String name) {
    return params.get(name);
  }

  /** Every parameter by Hugging Face name, in order. */
  Map<String, Parameter> namedParameters() {
    return params;
  }

  @Override
  protected NDArray head(ParameterStore ps, NDArray x, boolean training) {
    String name = config.tieWordEmbeddings() ? "model.embed_tokens.weight" : "lm_head.weight";
    return Linear.linear(x, w(ps, name, x, training)).singletonOrThrow();
  }

  @Override
  protected NDArray value(ParameterStore ps, NDArray x, boolean training) {
    if (!spec.valueHead()) {
      throw noValueHead();
    }
    return Linear.linear(x, w(ps, VALUE_HEAD + ".weight", x, training), w(ps, VALUE_HEAD + ".bias", x, training))
        .singletonOrThrow().squeeze(2);
  }

  /** The final hidden states (B, T, hidden) after the last RMSNorm, then per layer the keys and values. */
  @Override
  protected NDList trunk(ParameterStore ps, Inputs inputs, boolean training) {
    NDArray ids = inputs.ids();
    NDArray positions = inputs.positions();
    NDArray mask = inputs.mask();
    NDArray x = Embedding.embedding(ids, w(ps, "model.embed_tokens.weight", ids, training), SparseFormat.DENSE)
        .singletonOrThrow();
    long b = ids.getShape().get(0);
    long t = ids.getShape().get(1);
    NDList tables = Rotary.tables(positions, inverseFrequencies);
    NDArray cos = tables.get(0);
    NDArray sin = tables.get(1);
    NDList caches = new NDList(2 * config.layers());
    for (int i = 0; i < config.layers(); i++) {
      String p = "model.layers." + i + ".";
      NDArray pastK = inputs.cached() ? inputs.pastKeys(i) : null;
      NDArray pastV = inputs.cached() ? inputs.pastValues(i) : null;
      NDList attn = attention(ps, p, rmsNorm(ps, p + "input_layernorm.weight", x, training), mask, cos, sin, pastK,
          pastV, b, t, training);
      x = x.add(attn.get(0));
      caches.add(attn.get(1));
      caches.add(attn.get(2));
      NDArray n = rmsNorm(ps, p + "post_attention_layernorm.weight", x, training);
      NDArray gate = proj(ps, p + "mlp.gate_proj", n, training);
      NDArray up = proj(ps, p + "mlp.up_proj", n, training);
      x = x.add(proj(ps, p + "mlp.down_proj", Activation.swish(gate, 1f).mul(up), training));
    }
    x = rmsNorm(ps, "model.norm.weight", x, training);
    NDList result = new NDList(x);
    result.addAll(caches);
    return result;
  }

  private NDList attention(ParameterStore ps, String p, NDArray x, NDArray mask, NDArray cos, NDArray sin,
      NDArray pastK, NDArray pastV, long b, long t, boolean training) {
    int d = config.headDim();
    int heads = config.heads();
    int kvHeads = config.kvHeads();
    NDArray q = proj(ps, p + "self_attn.q_proj", x, training).reshape(b, t, heads, d);
    NDArray k = proj(ps, p + "self_attn.k_proj", x, training).reshape(b, t, kvHeads, d);
    NDArray v = proj(ps, p + "self_attn.v_proj", x, training).reshape(b, t, kvHeads, d).transpose(0, 2, 1, 3);
    if (config.qkNorm()) {
      q = rmsNorm(ps, p + "self_attn.q_norm.weight", q, training);
      k = rmsNorm(ps, p + "self_attn.k_norm.weight", k, training);
    }
    q = Rotary.rotate(q.transpose(0, 2, 1, 3), cos, sin);
    k = Rotary.rotate(k.transpose(0, 2, 1, 3), cos, sin);
    if (pastK != null) {
      k = pastK.concat(k, 2);
      v = pastV.concat(v, 2);
    }
    NDArray keys = k;
    NDArray vals = v;
    if (heads != kvHeads) {
      // repeat_kv: query head j reads key/value head j / (heads / kvHeads)
      long tk = k.getShape().get(2);
      keys = k.expandDims(2).repeat(2, heads / kvHeads).reshape(b, heads, tk, d);
      vals = v.expandDims(2).repeat(2, heads / kvHeads).reshape(b, heads, tk, d);
    }
    NDArray scores = q.matMul(keys.transpose(0, 1, 3, 2)).mul(1.0 / Math.sqrt(d)).add(mask);
    NDArray attended = scores.softmax(-1).matMul(vals).transpose(0, 2, 1, 3).reshape(b, t, (long) heads * d);
    return new NDList(proj(ps, p + "self_attn.o_proj", attended, training), k, v);
  }

  /** {@code x * cos + rotate_half(x) * sin}, where rotate_half(x) = cat(-x2, x1) of the halves of the last axis. */
  /** RMSNorm over the last axis: {@code x / sqrt(mean(x^2) + eps) * weight}. */
  private NDArray rmsNorm(ParameterStore ps, String name, NDArray x, boolean training) {
    NDArray rms = x.square().mean(new int[] {-1}, true).add((float) config.rmsNormEps()).sqrt();
    return x.div(rms).mul(w(ps, name, x, training));
  }

  /** A linear projection with its bias and, when it is targeted, its LoRA adapter. */
  private NDArray proj(ParameterStore ps, String name, NDArray x, boolean training) {
    Parameter bias = params.get(name + ".bias");
    NDArray y = bias == null ? Linear.linear(x, w(ps, name + ".weight", x, training)).singletonOrThrow()
        : Linear.linear(x, w(ps, name + ".weight", x, training), w(ps, name + ".bias", x, training))
            .singletonOrThrow();
    if (params.containsKey(name + ".lora_A.weight")) {
      NDArray in = training && lora.dropout() > 0
          ? Dropout.dropout(x, (float) lora.dropout(), true).singletonOrThrow() : x;
      NDArray a = Linear.linear(in, w(ps, name + ".lora_A.weight", x, training)).singletonOrThrow();
      NDArray up = Linear.linear(a, w(ps, name + ".lora_B.weight", x, training)).singletonOrThrow();
      y = y.add(up.mul((float) lora.scale()));
    }
    return y;
  }

  private NDArray w(ParameterStore ps, String name, NDArray on, boolean training) {
    return ps.getValue(params.get(name), on.getDevice(), training);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    // no child blocks: every parameter has its shape from the configuration
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return outputShapes(inputShapes, config.vocabSize(), config.layers(), config.kvHeads(), config.headDim());
  }
}
