package dev.ludus.api;

import java.util.Objects;
import java.util.Optional;

/**
 * An agent's answer to one turn: a reply, or a failure as a value. A failure ends the episode as failed
 * with its reason; it never throws through the runtime. Immutable and thread-safe.
 */
public sealed interface AgentResponse permits AgentResponse.Reply, AgentResponse.Failure {

  static AgentResponse reply(Message message) {
    return new Reply(message, null);
  }

  static AgentResponse reply(Message message, TokenTrace tokens) {
    return new Reply(message, tokens);
  }

  static AgentResponse reply(Message message, TokenTrace tokens, String finishReason, Usage usage) {
    return new Reply(message, tokens, finishReason, usage);
  }

  /**
   * Token counts a backend reports for one answer.
   *
   * @param promptTokens tokens in the prompt
   * @param completionTokens tokens generated
   */
  record Usage(int promptTokens, int completionTokens) {}

  /** A failure of the agent itself ({@link FailureKind#AGENT}). */
  static AgentResponse failure(String reason) {
    return new Failure(reason);
  }

  /** A failure of {@code kind}: e.g. {@link FailureKind#TRANSPORT} when the model server could not be reached. */
  static AgentResponse failure(FailureKind kind, String reason) {
    return new Failure(reason, kind);
  }

  /**
   * The agent's message and, when the backend gives them, its tokens and log-probs.
   *
   * @param message an assistant message
   * @param tokens the tokens that produced it, or null when the backend has none
   * @param finishReason why generation stopped ({@code stop}, {@code length}, {@code tool_calls}), or null
   * @param usage token counts, or null when unknown
   */
  record Reply(Message message, TokenTrace tokens, String finishReason, Usage usage) implements AgentResponse {
    public Reply(Message message, TokenTrace tokens) {
      this(message, tokens, null, null);
    }

    public Reply {
      Objects.requireNonNull(message, "message");
      if (message.role() != Role.ASSISTANT) {
        throw new IllegalArgumentException("an agent replies with role assistant, not " + message.role().wireName());
      }
    }

    public Optional<TokenTrace> tokenTrace() {
      return Optional.ofNullable(tokens);
    }
  }

  /**
   * The agent could not answer.
   *
   * @param reason what went wrong, for people (status, body excerpt, timeout, ...)
   * @param kind where it went wrong, which the failed episode carries: {@link FailureKind#AGENT} for the agent
   *     itself, {@link FailureKind#TRANSPORT} for its model server, {@link FailureKind#TOOL} for a tool call it could
   *     not make, {@link FailureKind#TIMEOUT} for a clock it ran out of
   */
  record Failure(String reason, FailureKind kind) implements AgentResponse {
    /** A failure of the agent itself. */
    public Failure(String reason) {
      this(reason, FailureKind.AGENT);
    }

    public Failure {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(kind, "kind");
    }
  }
}
