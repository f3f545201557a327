package dev.ludus.agents.openai;

import dev.ludus.api.chat.ChatClients;
import io.vertx.core.Vertx;

/**
 * The OpenAI-compatible {@link ChatClients.Factory}, registered through {@code META-INF/services}, with which a
 * plugin context makes its chat clients: a {@link ChatClientPool} on the context's Vert.x. Stateless.
 */
public final class OpenAiChatClients implements ChatClients.Factory {
  @Override
  public ChatClients open(Vertx vertx) {
    return new ChatClientPool(vertx);
  }
}
