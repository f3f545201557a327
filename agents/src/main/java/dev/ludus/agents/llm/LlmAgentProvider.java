package dev.ludus.agents.llm;

import dev.ludus.agents.openai.OpenAiAgent;
import dev.ludus.agents.openai.OpenAiAgentProvider;
import dev.ludus.api.Agent;
import dev.ludus.api.AgentProvider;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.ConfigException;
import dev.ludus.api.PluginContext;
import dev.ludus.api.chat.ChatClient;

/**
 * {@code llm}: an agent (a seat's opponent or partner in a social game, or any agent) played by the model behind a
 * chat endpoint the run declares by name in its {@code llm:} section, e.g. {@code --seat-agent bob=llm
 * --seat-agent-config 'bob={endpoint: opponent, temperature: 0.7}' --llm '{opponent: {baseUrl: ..., model: ...}}'}.
 * It is the {@code openai} agent on the run's shared client of that endpoint (one connection pool, breaker and
 * concurrency cap with every other user of the endpoint), with only the sampling set here. Stateless and thread-safe.
 */
public final class LlmAgentProvider implements AgentProvider<LlmAgentProvider.Config> {
  public static final String NAME = "llm";

  /**
   * The {@code llm} agent's configuration. Immutable; validated on construction, naming the bad field.
   *
   * @param endpoint the name of a chat endpoint in the run's {@code llm:} section (default {@code opponent})
   * @param temperature sampling temperature, 0 to 2 (default 0.7)
   * @param topP nucleus mass, in (0, 1] (default 1)
   * @param maxTokens the most tokens per move, at least 1 (default 256)
   * @param seed the sampling seed, or null for none
   * @param textToolCalls how to read tool calls written in text: {@code none} (default), {@code hermes} or
   *     {@code json}
   */
  public record Config(String endpoint, Double temperature, Double topP, Integer maxTokens, Long seed,
      String textToolCalls) {
    public Config {
      endpoint = endpoint == null || endpoint.isBlank() ? "opponent" : endpoint.trim();
      temperature = temperature == null ? 0.7 : temperature;
      topP = topP == null ? 1.0 : topP;
      maxTokens = maxTokens == null ? 256 : maxTokens;
      if (!(temperature >= 0 && temperature <= 2)) {
        throw new ConfigException("llm: temperature must be in [0, 2], was " + temperature);
      }
      if (!(topP > 0 && topP <= 1)) {
        throw new ConfigException("llm: topP must be in (0, 1], was " + topP);
      }
      if (maxTokens < 1) {
        throw new ConfigException("llm: maxTokens must be at least 1, was " + maxTokens);
      }
    }

    public static Config defaults() {
      return new Config(null, null, null, null, null, null);
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "the model behind a chat endpoint named in the run's llm: section (an opponent or partner seat)";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return Config.defaults();
  }

  @Override
  public Agent create(Config config, BoundEnvironment environment, PluginContext context) {
    ChatClient client = context.chatClient(config.endpoint());
    OpenAiAgentProvider.Builder b = OpenAiAgentProvider.Config.builder().endpoint(client.endpoint())
        .temperature(config.temperature()).topP(config.topP()).maxTokens(config.maxTokens()).seed(config.seed());
    if (config.textToolCalls() != null) {
      b.textToolCalls(config.textToolCalls());
    }
    return new OpenAiAgent(client, b.build());
  }
}
