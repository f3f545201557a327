package dev.ludus.api;

import java.util.List;
import java.util.Map;

/**
 * Registers a multi-agent environment: one with named seats, each played by its own agent. It is an
 * {@link EnvironmentProvider} (listed in {@code META-INF/services/dev.ludus.api.EnvironmentProvider}, found by
 * name, configured, checked and rolled out like any environment) whose instances are
 * {@link AnyMultiAgentEnvironment}s. Stateless and thread-safe.
 *
 * <p>Agents: {@link #randomAgent} and {@link #bots} play any seat and read what they need from the seat's
 * observation; {@link #oracle} is {@link PrivilegedAgent privileged}: in a seat it also gets that seat's
 * {@link SeatStart#privateInfo private view} of the task (never another seat's).
 *
 * @param <C> the environment's configuration record
 */
public interface MultiAgentEnvironmentProvider<C> extends EnvironmentProvider<C> {
  /**
   * The seats, in the order the runtime and the episode file list them: distinct kebab-case names (e.g.
   * {@code alice}, {@code bob}), at least one, the same for every instance made with {@code config}.
   */
  List<String> seats(C config);

  /** A new instance, not yet reset; the caller closes it. See {@link EnvironmentProvider#create(Object)}. */
  @Override
  default AnyMultiAgentEnvironment create(C config) {
    throw PluginForms.needsContext("environment", this);
  }

  /** A new instance made with the run's {@code context}; by default the plain form. */
  @Override
  default AnyMultiAgentEnvironment create(C config, PluginContext context) {
    return create(config);
  }

  /**
   * Scripted partners or opponents by name (e.g. {@code greedy}, {@code fair}), each able to play any seat; the
   * {@code bot} agent ({@code --seat-agent bob=bot:greedy}) plays one. Not privileged. None by default.
   */
  default Map<String, Agent> bots(C config) {
    return Map.of();
  }
}
