package dev.ludus.agents.openai.mock;

import java.util.Objects;

/**
 * A way for the mock server to misbehave on one request. Immutable.
 *
 * <p>A test double: see {@link MockOpenAiServer}.
 *
 * @param kind what goes wrong
 * @param status the HTTP status, for {@link Kind#STATUS}
 * @param body the response body, for {@link Kind#STATUS}
 * @param retryAfter the {@code Retry-After} header value (seconds or an HTTP date), or null for none
 */
public record MockFault(Kind kind, int status, String body, String retryAfter) implements MockReply {

  /** The kinds of misbehaviour. */
  public enum Kind {
    /** Answer with {@code status} and {@code body} (and {@code Retry-After} when given). */
    STATUS,
    /** Answer 200 with a body that is not JSON. */
    MALFORMED_JSON,
    /** Declare a {@code Content-Length} larger than what is sent, send part of the body, then close. */
    TRUNCATED_BODY,
    /** Never answer; the connection stays open until the client gives up. */
    HANG,
    /** Close the connection without answering. */
    RESET
  }

  public MockFault {
    Objects.requireNonNull(kind, "kind");
    body = body == null ? "" : body;
    if (kind == Kind.STATUS && (status < 100 || status > 599)) {
      throw new IllegalArgumentException("status must be an HTTP status 100..599, was " + status);
    }
  }

  /** Answer {@code status} with an OpenAI-style error body carrying {@code message}. */
  public static MockFault status(int status, String message) {
    return new MockFault(Kind.STATUS, status, errorBody(message, status), null);
  }

  /** Answer {@code status} with exactly {@code body} as JSON (e.g. 200 with {@code {"choices":[]}}). */
  public static MockFault body(int status, String body) {
    return new MockFault(Kind.STATUS, status, body, null);
  }

  /** 500 Internal Server Error. */
  public static MockFault serverError() {
    return status(500, "mock internal server error");
  }

  /** 429 Too Many Requests with {@code Retry-After: retryAfter} (seconds, or an HTTP date). */
  public static MockFault rateLimited(String retryAfter) {
    return new MockFault(Kind.STATUS, 429, errorBody("rate limit reached", 429), retryAfter);
  }

  /** 503 Service Unavailable with {@code Retry-After: retryAfter} (or none when null). */
  public static MockFault unavailable(String retryAfter) {
    return new MockFault(Kind.STATUS, 503, errorBody("mock server overloaded", 503), retryAfter);
  }

  /** 200 with a body that is not JSON. */
  public static MockFault malformedJson() {
    return new MockFault(Kind.MALFORMED_JSON, 200, "", null);
  }

  /** 200 whose body stops halfway and whose connection then closes. */
  public static MockFault truncatedBody() {
    return new MockFault(Kind.TRUNCATED_BODY, 200, "", null);
  }

  /** No answer at all. */
  public static MockFault hang() {
    return new MockFault(Kind.HANG, 0, "", null);
  }

  /** The connection closes before any answer. */
  public static MockFault reset() {
    return new MockFault(Kind.RESET, 0, "", null);
  }

  static String errorBody(String message, int status) {
    String type = status == 429 ? "rate_limit_error" : status >= 500 ? "server_error" : "invalid_request_error";
    return "{\"error\":{\"message\":" + quote(message) + ",\"type\":\"" + type + "\",\"code\":" + status + "}}";
  }

  private static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
