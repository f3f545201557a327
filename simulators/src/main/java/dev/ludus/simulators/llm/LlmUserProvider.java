package dev.ludus.simulators.llm;

import dev.ludus.api.PluginContext;
import dev.ludus.api.SimulatorProvider;
import dev.ludus.api.UserSimulator;

/**
 * Registers the generic LLM-driven user as {@value #NAME}: tau2-bench's user simulator behind any named chat endpoint
 * of the run's {@code llm:} section (see {@link LlmUserConfig}). Stateless and thread-safe; each {@link #create}
 * gives a new user for one episode, which calls the run's shared client of the endpoint asynchronously.
 */
public final class LlmUserProvider implements SimulatorProvider<LlmUserConfig> {
  public static final String NAME = "llm-user";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "A user played by a language model (tau2-bench's simulator: guidelines, persona, scenario; ends on "
        + "###STOP###, ###TRANSFER###, ###OUT-OF-SCOPE### or ###DONE###)";
  }

  @Override
  public Class<LlmUserConfig> configType() {
    return LlmUserConfig.class;
  }

  @Override
  public LlmUserConfig defaultConfig() {
    return LlmUserConfig.defaults();
  }

  @Override
  public UserSimulator create(LlmUserConfig config, PluginContext context) {
    return new LlmUser(config, context.chatClient(config.settings().endpoint()));
  }
}
