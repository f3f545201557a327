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

  /**
   * The agent {@code name} configured by {@code configSource}, for episodes of {@code env}, made with the
   * environment's {@link BoundEnvironment#context() plugin context} (the run's, once the runtime bound it).
   */
  public static ConfiguredAgent agent(Registry registry, String name, String configSource, BoundEnvironment env) {
    return agent(registry, name, configSource, env, null);
  }

  /**
   * The agent {@code name}, with {@code device} (auto, cpu, gpu; null to leave the config's) overriding its
   * config's {@code device}; an agent without a device setting refuses one.
   */
  public static ConfiguredAgent agent(Registry registry, String name, String configSource, BoundEnvironment env,
      String device) {
    AgentProvider<?> provider = registry.agents().get(name);
    com.fasterxml.jackson.databind.node.ObjectNode tree = PluginConfigs.tree(provider, configSource);
    if (device != null) {
      boolean hasDevice = provider.configType().isRecord() && java.util.Arrays.stream(
          provider.configType().getRecordComponents()).anyMatch(c -> c.getName().equals("device"));
      if (!hasDevice) {
        throw new dev.ludus.api.ConfigException("--device applies to agents that run a model in process (e.g. djl-lm);"
            + " agent '" + name + "' has no device setting");
      }
      tree.put("device", device);
    }
    return create(provider, PluginConfigs.bind(provider, tree), env);
  }

  @SuppressWarnings("unchecked")
  private static <C> ConfiguredAgent create(AgentProvider<C> provider, Object config, BoundEnvironment env) {
    return new ConfiguredAgent(provider.name(), config, provider.create((C) config, env, env.context()));
  }
}
