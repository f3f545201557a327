package dev.ludus.api;

import dev.ludus.api.chat.ChatClient;
import dev.ludus.api.chat.ChatEndpoint;
import dev.ludus.api.chat.ChatRequest;
import dev.ludus.api.chat.ChatResult;
import dev.ludus.api.chat.ChatUsage;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;

/**
 * A view of a shared chat client that counts what is asked through it under one name ({@link ChatUsage}): the
 * plugin context hands one out per name of its {@code llm:} section, so that a run's summary reports each judge's
 * and each simulated user's requests and tokens. It does not own the client: closing it does nothing.
 *
 * <p>Thread-safe: adders, no locks; it adds a few nanoseconds to a request.
 */
final class CountingChatClient implements ChatClient {
  private final ChatClient shared;
  private final LongAdder requests = new LongAdder();
  private final LongAdder attempts = new LongAdder();
  private final LongAdder cached = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final LongAdder promptTokens = new LongAdder();
  private final LongAdder completionTokens = new LongAdder();

  CountingChatClient(ChatClient shared) {
    this.shared = shared;
  }

  @Override
  public CompletionStage<ChatResult> complete(ChatRequest request) {
    requests.increment();
    return shared.complete(request).whenComplete((r, e) -> {
      if (r == null) {
        failures.increment();
        return;
      }
      attempts.add(r.attempts());
      if (r instanceof ChatResult.Completion c) {
        if (c.cached()) {
          cached.increment();
        }
        if (c.usage() != null) {
          promptTokens.add(c.usage().promptTokens());
          completionTokens.add(c.usage().completionTokens());
        }
      } else {
        failures.increment();
      }
    });
  }

  /** The counts so far. */
  ChatUsage usage() {
    return new ChatUsage(requests.sum(), attempts.sum(), cached.sum(), failures.sum(), promptTokens.sum(),
        completionTokens.sum());
  }

  @Override
  public ChatEndpoint endpoint() {
    return shared.endpoint();
  }

  @Override
  public void close() {
    // the shared client belongs to the context's pool
  }
}
