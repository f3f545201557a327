package dev.ludus.agents.hf;

import dev.ludus.api.ConfigException;
import java.util.List;

/**
 * Low-rank adapters (LoRA, Hu et al. 2021) on a decoder's projections: {@code W x + (alpha / rank) B A dropout(x)}
 * with {@code A} (rank, in) drawn like PEFT's default (Kaiming-uniform) and {@code B} (out, rank) zero, so an adapted
 * model starts as the base model. Only the adapters (and a value head, when there is one) are trained.
 *
 * @param rank the adapters' rank, 1 to 1024
 * @param alpha the scale numerator ({@code alpha / rank} multiplies the update), positive
 * @param dropout dropout on the adapters' input while training, in [0, 1)
 * @param targetModules the projections adapted, among {@code q_proj k_proj v_proj o_proj gate_proj up_proj
 *     down_proj}
 */
public record LoraConfig(int rank, double alpha, double dropout, List<String> targetModules) {
  public LoraConfig {
    if (rank < 1 || rank > 1024) {
      throw new ConfigException("lora rank must be in [1, 1024], was " + rank);
    }
    if (!(alpha > 0)) {
      throw new ConfigException("lora alpha must be positive, was " + alpha);
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new ConfigException("lora dropout must be in [0, 1), was " + dropout);
    }
    targetModules = targetModules == null || targetModules.isEmpty() ? List.of("q_proj", "v_proj")
        : List.copyOf(targetModules);
    for (String t : targetModules) {
      if (!HfConfig.projections().contains(t)) {
        throw new ConfigException("lora target module '" + t + "' is not known; allowed: " + HfConfig.projections());
      }
    }
  }

  /** The multiplier of the adapters' output. */
  public double scale() {
    return alpha / rank;
  }
}
