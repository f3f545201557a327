package dev.ludus.agents.hf;

import dev.ludus.agents.djl.DjlLmAgentProvider;
import dev.ludus.agents.djl.LanguageModel;
import dev.ludus.agents.djl.LmTokenizer;
import dev.ludus.agents.djl.ModelSource;

/**
 * {@code hf:DIR[?OPTIONS]} as a {@code djl-lm} checkpoint: a Hugging Face Llama, Qwen2 or Qwen3 model directory on
 * local disk (see {@link HfLocation} for the options, {@link HfModels} for the files). The agent then renders prompts
 * with the model's own chat template and stops at its end-of-turn token; {@code layers}, {@code width},
 * {@code heads} and {@code context} of the configuration are not used (the model's {@code config.json} gives them).
 * Stateless.
 */
public final class HfModelSource implements ModelSource {
  @Override
  public String prefix() {
    return "hf";
  }

  @Override
  public LmTokenizer tokenizer(String location, DjlLmAgentProvider.Config config) {
    HfLocation l = HfLocation.parse(location);
    return HfTokenizer.load(l.directory(), HfModels.architecture(l.directory(), null).config().vocabSize(),
        l.templateVariables());
  }

  @Override
  public LanguageModel model(String location, DjlLmAgentProvider.Config config) {
    HfLocation l = HfLocation.parse(location);
    return l.adapters() != null
        ? HfModels.loadWithAdapters(l.directory(), l.adapters(), config.device(), config.valueHead(), config.seed(),
            l.templateVariables())
        : HfModels.load(l.directory(), config.device(), l.lora(), config.valueHead(), config.seed(),
            l.templateVariables());
  }
}
