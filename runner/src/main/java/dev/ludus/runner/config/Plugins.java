package dev.ludus.runner.config;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentProvider;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.EnvironmentProvider;
import dev.ludus.api.Registry;

/** Makes environments and agents from their registered names and configuration text. Stateless. */
public final class Plugins {
  private Plugins() {}

  /** An agent made from its name and configuration, with the configuration kept for the run's record. */
  public record ConfiguredAgent(String name, Object config, Agent agent) implements AutoCloseable {
    @Override
    public void close() {
      try {
        agent.close();
      } catch (Exception ignored) {
        // closing an agent is best effort
      }
    }
  }

  /** The environment {@code name} bound to the configuration in {@code configSource} (file or inline). */
  public static BoundEnvironment environment(Registry registry, String name, String configSource) {
    EnvironmentProvider<?> provider = registry.environments().get(name);
    return BoundEnvironment.ofUnchecked(provider, PluginConfigs.read(provider, configSource));
  }

  /** The agent {@code name} configured by {@code configSource}, for episodes of {@code env}. */
  public static ConfiguredAgent agent(Registry registry, String name, String configSource, BoundEnvironment env) {
    AgentProvider<?> provider = registry.agents().get(name);
    return create(provider, PluginConfigs.read(provider, configSource), env);
  }

  @SuppressWarnings("unchecked")
  private static <C> ConfiguredAgent create(AgentProvider<C> provider, Object config, BoundEnvironment env) {
    return new ConfiguredAgent(provider.name(), config, provider.create((C) config, env));
  }
}
