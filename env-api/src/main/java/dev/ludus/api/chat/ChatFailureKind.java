package dev.ludus.api.chat;

import java.util.Optional;

/**
 * Why a {@link ChatClient} could not complete a request. Each kind has a stable kebab-case {@link #tag()}, so
 * that summaries can count failures by kind and reasons can be read back ({@link #ofTag}).
 */
public enum ChatFailureKind {
  /** The server answered with a status that is not retried (4xx other than 408/429), or retries ran out. */
  HTTP_STATUS("http-status"),
  /** No (complete) response within the endpoint's {@code requestTimeoutMillis}, on every attempt. */
  TIMEOUT("timeout"),
  /** The connection could not be made or closed before the response began, on every attempt. */
  CONNECTION("connection"),
  /** The response began but its body was cut off. */
  TRUNCATED_BODY("truncated-body"),
  /**
   * The endpoint's circuit breaker stayed open (it failed repeatedly) for as long as the request could wait
   * ({@code breakerMaxWaitMillis}), or the endpoint never responded at all, so waiting was pointless.
   */
  CIRCUIT_OPEN("circuit-open"),
  /** A 429/503 asked to wait ({@code Retry-After}) longer than the endpoint's {@code maxRetryAfterMillis}. */
  RETRY_AFTER_TOO_LONG("retry-after-too-long"),
  /** A 2xx response whose body is not valid JSON, on every attempt (it is retried). */
  MALFORMED_JSON("malformed-json"),
  /** Valid JSON that is not a chat completion (no message, wrong types, an {@code error} object). */
  BAD_RESPONSE("bad-response"),
  /** A chat completion with an empty {@code choices} array. */
  EMPTY_CHOICES("empty-choices"),
  /** The request could not be built (e.g. a tool's parameters are not a JSON object). Nothing was sent. */
  BAD_REQUEST("bad-request"),
  /** The client was closed before the answer arrived. */
  CLOSED("closed"),
  /** A bug in the client itself; the detail names the exception. */
  INTERNAL("internal");

  private final String tag;

  ChatFailureKind(String tag) {
    this.tag = tag;
  }

  /** The tag written in reasons, e.g. {@code timeout}. */
  public String tag() {
    return tag;
  }

  /** The kind whose tag is {@code tag}, if any. */
  public static Optional<ChatFailureKind> ofTag(String tag) {
    for (ChatFailureKind k : values()) {
      if (k.tag.equals(tag)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }
}
