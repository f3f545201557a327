package dev.ludus.runner.runtime;

import dev.ludus.api.Agent;
import dev.ludus.api.BoundEnvironment;
import java.util.Objects;

/**
 * One rollout's plan: which environment, which agent, and the options. Immutable.
 *
 * @param runId the run's id, the prefix of every episode id
 * @param environment the environment with its configuration
 * @param agentName the agent's registered name, recorded in every episode
 * @param agent the agent (shared by all episodes; the caller closes it)
 * @param options counts, seed and limits
 * @param scorer scores each finished group (the shaping pipeline) before the sinks see it
 */
public record Rollout(String runId, BoundEnvironment environment, String agentName, Agent agent,
    RolloutOptions options, Scorer scorer) {
  public Rollout {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(agentName, "agentName");
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(scorer, "scorer");
  }

  /** A rollout whose episodes are not scored. */
  public Rollout(String runId, BoundEnvironment environment, String agentName, Agent agent, RolloutOptions options) {
    this(runId, environment, agentName, agent, options, Scorer.none());
  }
}
