package dev.ludus.api.codec;

import dev.ludus.api.LudusException;

/**
 * JSON that the {@link EpisodeCodec} cannot read as what was asked: malformed, missing a required field, of a
 * newer schema than this Ludus reads, or holding a signal value that does not convert to its key's type.
 */
public final class EpisodeFormatException extends LudusException {
  private final String reason;

  EpisodeFormatException(String reason, Throwable cause) {
    super("the JSON " + reason, cause);
    this.reason = reason;
  }

  /**
   * What was wrong, as a predicate to put after the name of where the JSON came from, e.g.
   * {@code is not a valid episode: ...} or {@code has schema 3; this Ludus reads schema 2 and older}.
   */
  public String reason() {
    return reason;
  }
}
