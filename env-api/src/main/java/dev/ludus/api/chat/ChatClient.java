package dev.ludus.api.chat;

import java.util.concurrent.CompletionStage;

/**
 * A client of one OpenAI-compatible chat-completions endpoint ({@link #endpoint()}).
 *
 * <p>Failures are values: the stage never completes exceptionally; every problem (an HTTP status, a timeout,
 * an open circuit, a malformed body, a closed client) is a {@link ChatResult.Failure} with its {@link
 * ChatFailureKind} and a reason for people, in which the API key never appears. Retries, backoff, the circuit
 * breaker, the concurrency cap and the cache of deterministic requests (temperature 0 with a seed) are the
 * client's business, shared by every caller of the same client: callers do not retry transport failures
 * themselves.
 *
 * <p>Thread-safety: thread-safe; {@link #complete} never blocks and may be called from any thread, event loops
 * included. Its stage may complete on an event loop, so dependent stages must not block either. Life-cycle:
 * whoever created the client closes it; a client handed out by a pool belongs to the pool, and its users do
 * not close it. {@link #close()} is idempotent and answers pending requests with {@link
 * ChatFailureKind#CLOSED}.
 */
public interface ChatClient extends AutoCloseable {

  /** Sends {@code request}; the stage completes with a completion or a failure, never exceptionally. */
  CompletionStage<ChatResult> complete(ChatRequest request);

  /** The endpoint this client talks to, with its limits. */
  ChatEndpoint endpoint();

  @Override
  void close();
}
