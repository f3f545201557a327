package dev.ludus.api;

import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * An agent entitled to the task itself: the environment's oracle. The runtime gives such an agent the episode's
 * whole {@link Task} (with its gold answers) in {@link AgentRequest#task()}, and in a seat of a multi-agent
 * environment that seat's {@link SeatStart#privateInfo private view} of it; every other agent (learning policies,
 * model endpoints, random and scripted agents, bots) gets {@link Task#withheld()}: the id and seed, no fields, so
 * it knows only what its observation shows. {@link BoundEnvironment#oracle()} hands out the environment's oracle as
 * one.
 *
 * <p>Privilege withholds data; it is no sandbox: a generated task's id names its seed, so an agent that re-ran the
 * generator could rebuild the task. A wrapper around an agent keeps its privilege only if it is one too.
 *
 * <p>Same thread-safety and life-cycle as {@link Agent}.
 */
@FunctionalInterface
public interface PrivilegedAgent extends Agent {
  /** {@code agent} as a privileged agent: itself if it is one, else a wrapper that forwards to it and closes it. */
  static PrivilegedAgent of(Agent agent) {
    Objects.requireNonNull(agent, "agent");
    if (agent instanceof PrivilegedAgent p) {
      return p;
    }
    return new PrivilegedAgent() {
      @Override
      public CompletionStage<AgentResponse> act(AgentRequest request) {
        return agent.act(request);
      }

      @Override
      public void episodeEnded(String episodeId) {
        agent.episodeEnded(episodeId);
      }

      @Override
      public void close() {
        agent.close();
      }

      @Override
      public String toString() {
        return "privileged " + agent;
      }
    };
  }
}
