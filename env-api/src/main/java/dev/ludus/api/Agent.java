package dev.ludus.api;

import java.util.concurrent.CompletionStage;

/**
 * An agent: given the conversation so far and the tools, it answers with an assistant message.
 *
 * <p>Thread-safety: one agent serves many episodes at once, so implementations are thread-safe and keep
 * no per-episode state that the request does not carry. Failures are values ({@link
 * AgentResponse.Failure}); a stage that completes exceptionally is also recorded as a failed episode, but
 * well-behaved agents do not do that. The stage must never block the calling thread. Life-cycle: whoever
 * created it closes it; {@link #close()} is idempotent.
 */
@FunctionalInterface
public interface Agent extends AutoCloseable {
  CompletionStage<AgentResponse> act(AgentRequest request);

  /**
   * Called once by the runtime when an episode this agent played has ended (its id as in its requests), so that an
   * agent caching per-episode state (a key/value cache) can release it at once; the default does nothing. An agent
   * that wraps another forwards it. Must return quickly and never throw: it runs on the event loop.
   */
  default void episodeEnded(String episodeId) {}

  @Override
  default void close() {}
}
