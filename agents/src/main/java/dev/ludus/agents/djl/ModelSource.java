package dev.ludus.agents.djl;

import dev.ludus.api.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Where a {@code djl-lm} model comes from when its {@code checkpoint} names another kind of source as
 * {@code PREFIX:LOCATION} (for example {@code hf:models/Qwen3-0.6B}, a Hugging Face model directory): the source builds
 * the model (a {@link LanguageModel}, often of another {@link Architecture}) and its tokenizer, and the agent, the
 * learner and checkpoints then treat it like a built-in model. Found through {@link ServiceLoader}
 * ({@code META-INF/services/dev.ludus.agents.djl.ModelSource}), so a plugin jar can add one. Implementations are
 * stateless and thread-safe.
 */
public interface ModelSource {

  /** The prefix this source answers to, without the colon (e.g. {@code hf}). */
  String prefix();

  /** The tokenizer of the model at {@code location}, for {@code config}; the caller closes it. */
  LmTokenizer tokenizer(String location, DjlLmAgentProvider.Config config);

  /**
   * The model at {@code location} on {@code config.device()}, with a value head when {@code config.valueHead()};
   * the caller closes it.
   */
  LanguageModel model(String location, DjlLmAgentProvider.Config config);

  /** A checkpoint string split into its registered source and location. */
  record Located(ModelSource source, String location) {}

  /**
   * The registered source {@code checkpoint} names by its prefix, if any (a plain directory has none).
   *
   * @throws ConfigException when the checkpoint has a prefix-like form no source claims, listing the known prefixes
   */
  static Optional<Located> of(String checkpoint) {
    if (checkpoint == null) {
      return Optional.empty();
    }
    int colon = checkpoint.indexOf(':');
    if (colon < 2 || !checkpoint.substring(0, colon).matches("[a-z][a-z0-9-]*")) {
      return Optional.empty(); // a plain path (or a Windows drive letter)
    }
    String prefix = checkpoint.substring(0, colon);
    List<String> known = new ArrayList<>();
    for (ModelSource s : ServiceLoader.load(ModelSource.class, ModelSource.class.getClassLoader())) {
      if (s.prefix().equals(prefix)) {
        return Optional.of(new Located(s, checkpoint.substring(colon + 1)));
      }
      known.add(s.prefix() + ":");
    }
    throw new ConfigException("djl-lm: checkpoint '" + checkpoint + "' names the model source '" + prefix
        + ":', which no plugin provides; known: " + known + " or a directory saved by djl-lm");
  }
}
