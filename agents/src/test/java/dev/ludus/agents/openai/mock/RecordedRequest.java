package dev.ludus.agents.openai.mock;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One request as the mock server received it. Immutable except for {@code json}, which callers must not
 * modify.
 *
 * <p>A test double: see {@link MockOpenAiServer}.
 *
 * @param index the request's index among chat-completion requests, from 0
 * @param method the HTTP method
 * @param path the request path
 * @param headers the headers, names in lower case
 * @param body the body as text
 * @param json the body parsed as JSON, or null when it is not JSON
 * @param receivedNanos {@link System#nanoTime()} when it arrived
 */
public record RecordedRequest(int index, String method, String path, Map<String, List<String>> headers,
    String body, JsonNode json, long receivedNanos) {
  public RecordedRequest {
    headers = Map.copyOf(headers);
  }

  /** The first value of header {@code name} (any case), or null. */
  public String header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
