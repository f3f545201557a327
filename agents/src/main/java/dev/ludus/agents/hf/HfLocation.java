package dev.ludus.agents.hf;

import dev.ludus.api.ConfigException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@code djl-lm} {@code checkpoint: hf:DIR[?OPTIONS]} names: a Hugging Face model directory and, after a
 * {@code ?}, options joined by {@code &}:
 *
 * <ul>
 *   <li>{@code lora=R}: train LoRA adapters of rank R instead of every weight (the base weights are frozen);
 *   <li>{@code alpha=A} (default R), {@code dropout=P} (default 0), {@code targets=q_proj,v_proj} (the default; any of
 *       q_proj k_proj v_proj o_proj gate_proj up_proj down_proj): the adapters' scale numerator, input dropout and
 *       adapted projections;
 *   <li>{@code adapters=DIR}: start from LoRA adapters saved in PEFT's layout (a LoRA checkpoint of Ludus, or PEFT's
 *       {@code save_pretrained} output); their {@code adapter_config.json} gives rank, alpha, dropout and targets;
 *   <li>{@code thinking=false}: the chat template's {@code enable_thinking} variable (Qwen3's switch for its
 *       reasoning block); any {@code var.NAME=VALUE} sets another template variable (true/false/numbers typed).
 * </ul>
 *
 * @param directory the model directory
 * @param lora the adapters, or null for full fine-tuning
 * @param adapters a PEFT adapter directory to start from, or null
 * @param templateVariables extra variables of the chat template
 */
record HfLocation(Path directory, LoraConfig lora, Path adapters, Map<String, Object> templateVariables) {
  static final List<String> OPTIONS = List.of("lora", "alpha", "dropout", "targets", "adapters", "thinking",
      "var.NAME");

  static HfLocation parse(String location) {
    int q = location.indexOf('?');
    String dir = q < 0 ? location : location.substring(0, q);
    if (dir.isBlank()) {
      throw new ConfigException("djl-lm: checkpoint 'hf:' must name a model directory, e.g. hf:models/Qwen3-0.6B");
    }
    Integer rank = null;
    Double alpha = null;
    double dropout = 0;
    List<String> targets = null;
    Path adapters = null;
    Map<String, Object> vars = new LinkedHashMap<>();
    if (q >= 0) {
      for (String option : location.substring(q + 1).split("&")) {
        if (option.isEmpty()) {
          continue;
        }
        int eq = option.indexOf('=');
        if (eq < 0) {
          throw new ConfigException("djl-lm: hf option '" + option + "' has no value; options: " + OPTIONS);
        }
        String key = option.substring(0, eq);
        String value = option.substring(eq + 1);
        try {
          switch (key) {
            case "lora" -> rank = Integer.parseInt(value);
            case "alpha" -> alpha = Double.parseDouble(value);
            case "dropout" -> dropout = Double.parseDouble(value);
            case "targets" -> targets = Arrays.stream(value.split(",")).map(String::strip).toList();
            case "adapters" -> adapters = Path.of(value);
            case "thinking" -> vars.put("enable_thinking", Boolean.parseBoolean(value));
            default -> {
              if (!key.startsWith("var.") || key.length() == 4) {
                throw new ConfigException("djl-lm: hf option '" + key + "' is not known; options: " + OPTIONS);
              }
              vars.put(key.substring(4), typed(value));
            }
          }
        } catch (NumberFormatException e) {
          throw new ConfigException("djl-lm: hf option '" + key + "' needs a number, was '" + value + "'");
        }
      }
    }
    if (rank == null && (alpha != null || targets != null || dropout != 0)) {
      throw new ConfigException("djl-lm: hf options alpha, dropout and targets need lora=RANK");
    }
    if (adapters != null && rank != null) {
      throw new ConfigException("djl-lm: hf option adapters takes rank, alpha, dropout and targets from its "
          + "adapter_config.json; leave lora, alpha, dropout and targets out");
    }
    LoraConfig lora = rank == null ? null : new LoraConfig(rank, alpha == null ? rank : alpha, dropout, targets);
    return new HfLocation(Path.of(dir), lora, adapters, vars);
  }

  private static Object typed(String value) {
    if (value.equals("true") || value.equals("false")) {
      return Boolean.parseBoolean(value);
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return value;
    }
  }
}
