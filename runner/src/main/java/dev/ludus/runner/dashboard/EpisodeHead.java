package dev.ludus.runner.dashboard;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.runner.config.Json;
import java.io.IOException;
import java.util.Locale;

/**
 * The top-level figures of one stored episode, read from its line with a streaming parser that skips the turns'
 * contents (only counting them), so that indexing a large store never builds whole episodes.
 *
 * @param id the episode's id
 * @param env its environment
 * @param status how it ended
 * @param success whether it succeeded
 * @param totalReturn its environment return
 * @param turns turns played
 * @param failure why it failed, or null
 * @param failureKind the failure's kind as the file records it ({@code transport}, ...), or null in older files
 */
record EpisodeHead(String id, String env, EpisodeStatus status, boolean success, double totalReturn, int turns,
    String failure, String failureKind) {

  /** The failure's kind as recorded, or, in files written before kinds existed, the kind its reason names. */
  String failureKindLabel() {
    return failureKind != null ? failureKind : dev.ludus.api.FailureKind.classify(failure).label();
  }


  /** The head of the episode on {@code bytes[offset, offset + length)}; fails when it is not an episode object. */
  static EpisodeHead parse(byte[] bytes, int offset, int length) throws IOException {
    String id = null;
    String env = null;
    EpisodeStatus status = null;
    boolean success = false;
    double ret = 0;
    int turns = 0;
    String failure = null;
    String failureKind = null;
    try (JsonParser p = Json.JSON.getFactory().createParser(bytes, offset, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        switch (name) {
          case "id" -> id = p.getValueAsString();
          case "env" -> env = p.getValueAsString();
          case "status" -> status = status(p.getValueAsString());
          case "failure" -> failure = p.getValueAsString();
          case "failureKind" -> failureKind = p.getValueAsString();
          case "success" -> success = t == JsonToken.VALUE_TRUE;
          case "return" -> ret = t.isNumeric() ? p.getDoubleValue() : 0;
          case "turns" -> {
            if (t == JsonToken.START_ARRAY) {
              while (p.nextToken() != JsonToken.END_ARRAY) {
                p.skipChildren();
                turns++;
              }
            } else {
              p.skipChildren();
            }
          }
          default -> p.skipChildren();
        }
      }
    }
    if (id == null || status == null) {
      throw new IOException("an episode needs an id and a status");
    }
    return new EpisodeHead(id, env, status, success, ret, turns, failure, failureKind);
  }

  private static EpisodeStatus status(String wire) throws IOException {
    for (EpisodeStatus s : EpisodeStatus.values()) {
      if (s.wireName().equals(wire)) {
        return s;
      }
    }
    throw new IOException("unknown status " + (wire == null ? null : wire.toLowerCase(Locale.ROOT)));
  }

  Views.EpisodeRow row(int index) {
    return new Views.EpisodeRow(index, id, status.wireName(), success, totalReturn, turns, failure);
  }
}
