package dev.ludus.agents.baseline;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentProvider;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.NoConfig;

/**
 * {@code random}: uniformly random actions from the environment's action grammar, seeded per episode and turn. Not
 * privileged: it gets the task withheld, like a learning policy.
 */
public final class RandomAgentProvider implements AgentProvider<NoConfig> {
  @Override
  public String name() {
    return "random";
  }

  @Override
  public String description() {
    return "uniformly random actions from the environment's action grammar";
  }

  @Override
  public Class<NoConfig> configType() {
    return NoConfig.class;
  }

  @Override
  public NoConfig defaultConfig() {
    return NoConfig.INSTANCE;
  }

  @Override
  public Agent create(NoConfig config, BoundEnvironment environment) {
    return environment.randomAgent();
  }
}
