package dev.ludus.api;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a multi-agent environment shows when a match starts: each seat's opening, and who moves first. Immutable
 * and thread-safe.
 *
 * @param seats every declared seat's opening, by seat name
 * @param next the seats to move first: one for a turn-based game, several (or all) for simultaneous moves
 */
public record MatchStart(Map<String, SeatStart> seats, Set<String> next) {
  public MatchStart {
    seats = Map.copyOf(Objects.requireNonNull(seats, "seats"));
    next = Set.copyOf(Objects.requireNonNull(next, "next"));
    if (next.isEmpty()) {
      throw new IllegalArgumentException("a match starts with at least one seat to move; next is empty");
    }
  }

  /** A turn-based start: {@code first} moves first. */
  public static MatchStart turn(Map<String, SeatStart> seats, String first) {
    return new MatchStart(seats, Set.of(first));
  }
}
