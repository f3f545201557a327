package dev.ludus.agents.openai;

import dev.ludus.api.FailureKind;
import dev.ludus.api.chat.ChatFailureKind;
import java.util.Optional;

/**
 * Why an {@code openai} agent could not answer. Each kind is a stable tag at the start of
 * {@link dev.ludus.api.AgentResponse.Failure#reason()}: {@code openai/<tag>: <detail>}, so that run summaries
 * can count failures by kind with {@link #of(String)}. Every {@link ChatFailureKind} of the chat client has a
 * kind of the same tag ({@link #of(ChatFailureKind)}); {@link #INVALID_TOOL_ARGUMENTS} is the agent's own.
 */
public enum OpenAiFailureKind {
  /** The server answered with a status that is not retried (4xx other than 429), or retries ran out on 429/5xx. */
  HTTP_STATUS("http-status"),
  /** No (complete) response within {@code requestTimeoutMillis}, on every attempt. */
  TIMEOUT("timeout"),
  /** The connection could not be made or closed before the response began, on every attempt. */
  CONNECTION("connection"),
  /** The response began but its body was cut off (connection closed before {@code Content-Length} bytes). */
  TRUNCATED_BODY("truncated-body"),
  /**
   * The endpoint's circuit breaker stayed open (the server failed repeatedly) for as long as the turn could wait
   * ({@code breakerMaxWaitMillis}), or the server never responded at all.
   */
  CIRCUIT_OPEN("circuit-open"),
  /** A 429/503 asked to wait ({@code Retry-After}) longer than {@code maxRetryAfterMillis}. */
  RETRY_AFTER_TOO_LONG("retry-after-too-long"),
  /** A 2xx response whose body is not valid JSON, on every attempt (it is retried). */
  MALFORMED_JSON("malformed-json"),
  /** Valid JSON that is not a chat completion (no message, wrong types, an {@code error} object). */
  BAD_RESPONSE("bad-response"),
  /** A chat completion with an empty {@code choices} array. */
  EMPTY_CHOICES("empty-choices"),
  /** A tool call whose {@code arguments} are not a JSON object (with {@code invalidToolArguments: fail}). */
  INVALID_TOOL_ARGUMENTS("invalid-tool-arguments"),
  /** The request could not be built (e.g. a tool's parameters are not a JSON object). */
  BAD_REQUEST("bad-request"),
  /** The agent was closed before the answer arrived. */
  CLOSED("closed"),
  /** A bug in the backend itself; the detail names the exception. */
  INTERNAL("internal");

  private static final String PREFIX = "openai/";
  private final String tag;

  OpenAiFailureKind(String tag) {
    this.tag = tag;
  }

  /** The tag written in reasons, e.g. {@code timeout}. */
  public String tag() {
    return tag;
  }

  /**
   * Where a failure of this kind happened, which the failed episode carries: {@link FailureKind#TOOL} for invalid tool
   * arguments, {@link FailureKind#AGENT} for the backend itself (closed, a bug), {@link FailureKind#TRANSPORT} for
   * everything between it and the model server.
   */
  public FailureKind failureKind() {
    return switch (this) {
      case INVALID_TOOL_ARGUMENTS -> FailureKind.TOOL;
      case CLOSED, INTERNAL -> FailureKind.AGENT;
      default -> FailureKind.TRANSPORT;
    };
  }

  /** A failure reason of this kind: {@code openai/<tag>: <detail>}. */
  public String reason(String detail) {
    return PREFIX + tag + ": " + detail;
  }

  /** The agent's kind for a chat client's failure: the one with the same tag. */
  public static OpenAiFailureKind of(ChatFailureKind kind) {
    for (OpenAiFailureKind k : values()) {
      if (k.tag.equals(kind.tag())) {
        return k;
      }
    }
    return INTERNAL;
  }

  /** The kind a reason written by this backend starts with, if any. */
  public static Optional<OpenAiFailureKind> of(String reason) {
    if (reason == null || !reason.startsWith(PREFIX)) {
      return Optional.empty();
    }
    for (OpenAiFailureKind k : values()) {
      if (reason.startsWith(PREFIX + k.tag + ":")) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }
}
