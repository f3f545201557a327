package dev.ludus.agents.baseline;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentProvider;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.ConfigException;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code bot}: one of a multi-agent environment's scripted partners or opponents, chosen by {@code name} (e.g.
 * {@code --seat-agent bob=bot:greedy}). A bot is not privileged: it reads what it needs from its seat's observation.
 * Fails at set-up, naming the environment's bots, when the name is not one of them or the environment has none.
 */
public final class BotAgentProvider implements AgentProvider<BotAgentProvider.Config> {

  /** @param name the bot's name in the environment; blank for its only bot */
  public record Config(String name) {
    public Config {
      name = name == null ? "" : name.strip();
    }
  }

  @Override
  public String name() {
    return "bot";
  }

  @Override
  public String description() {
    return "a multi-agent environment's scripted partner or opponent, by name (bot:greedy)";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return new Config("");
  }

  @Override
  public Agent create(Config config, BoundEnvironment environment) {
    Map<String, Agent> bots = environment.bots();
    if (bots.isEmpty()) {
      throw new ConfigException("environment '" + environment.name() + "' has no bots; use agent 'random', 'oracle' "
          + "or a model backend");
    }
    String known = String.join(", ", new TreeSet<>(bots.keySet()));
    if (config.name().isEmpty()) {
      if (bots.size() == 1) {
        return bots.values().iterator().next();
      }
      throw new ConfigException("agent 'bot' needs the bot's name (bot:NAME, or config 'name: NAME'); environment '"
          + environment.name() + "' has bots: " + known);
    }
    Agent bot = bots.get(config.name());
    if (bot == null) {
      throw new ConfigException("environment '" + environment.name() + "' has no bot '" + config.name()
          + "'; its bots: " + known);
    }
    return bot;
  }
}
