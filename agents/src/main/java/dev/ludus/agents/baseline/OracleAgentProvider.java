package dev.ludus.agents.baseline;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentProvider;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.ConfigException;
import dev.ludus.api.NoConfig;

/**
 * {@code oracle}: the environment's own scripted solver, for tests and as a source of demonstrations. It is the
 * one built-in agent that is {@link dev.ludus.api.PrivilegedAgent privileged}: the runtime gives it the task (in a
 * seat, the seat's private view of it), see {@link BoundEnvironment#oracle()}. Fails at set-up, naming the
 * environment, when it has none.
 */
public final class OracleAgentProvider implements AgentProvider<NoConfig> {
  @Override
  public String name() {
    return "oracle";
  }

  @Override
  public String description() {
    return "the environment's scripted solver (demonstrations, tests)";
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
    return environment.oracle().orElseThrow(() -> new ConfigException(
        "environment '" + environment.name() + "' has no oracle agent; use agent 'random' or a model backend"));
  }
}
