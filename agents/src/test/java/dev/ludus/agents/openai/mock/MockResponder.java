package dev.ludus.agents.openai.mock;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * Decides what the mock server answers to a request: a function of the request, or a script. Called on an
 * event loop, so it must not block; it may be called from several threads at once.
 *
 * <p>A test double: see {@link MockOpenAiServer}.
 */
@FunctionalInterface
public interface MockResponder {
  MockReply respond(RecordedRequest request);

  /** Echoes the last message's content: {@code "echo: <content>"}. The default responder. */
  static MockResponder echo() {
    return request -> {
      JsonNode messages = request.json() == null ? null : request.json().path("messages");
      String last = messages != null && messages.isArray() && !messages.isEmpty()
          ? messages.get(messages.size() - 1).path("content").asText("")
          : "";
      return MockReply.text("echo: " + last);
    };
  }

  /** Always the same reply. */
  static MockResponder constant(MockReply reply) {
    Objects.requireNonNull(reply, "reply");
    return request -> reply;
  }

  /**
   * The replies in order, by request index; once they run out, the last one repeats. Indexes count every
   * chat-completion request the server has received, retries included.
   */
  static MockResponder scripted(List<? extends MockReply> replies) {
    if (replies == null || replies.isEmpty()) {
      throw new IllegalArgumentException("scripted responder needs at least one reply, was empty");
    }
    List<MockReply> script = List.copyOf(replies);
    return request -> script.get(Math.min(request.index(), script.size() - 1));
  }
}
