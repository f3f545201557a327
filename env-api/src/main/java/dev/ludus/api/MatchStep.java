package dev.ludus.api;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A multi-agent environment's answer to the moves of one step. Immutable and thread-safe.
 *
 * <p>{@code terminated} means the match reached an end state (a deal, a game over) and {@code truncated} that it
 * was cut for a reason outside the game (a turn limit), for every seat at once; a seat that drops out earlier is
 * simply never named in {@code next} again.
 *
 * @param seats what each seat gets, by seat name; a seat left out gets {@link SeatStep#NOTHING}
 * @param next the seats to move next (one: turn-based; several: simultaneous); empty once the match is over, and
 *     never empty before
 * @param terminated the match ended
 * @param truncated the match was cut short
 */
public record MatchStep(Map<String, SeatStep> seats, Set<String> next, boolean terminated, boolean truncated) {
  public MatchStep {
    seats = Map.copyOf(Objects.requireNonNull(seats, "seats"));
    next = terminated || truncated ? Set.of() : Set.copyOf(Objects.requireNonNull(next, "next"));
    if (next.isEmpty() && !terminated && !truncated) {
      throw new IllegalArgumentException("a match that goes on needs a seat to move next; next is empty");
    }
  }

  /** Whether the match is over, for either reason. */
  public boolean done() {
    return terminated || truncated;
  }

  /** What {@code seat} gets from this step ({@link SeatStep#NOTHING} when it is left out). */
  public SeatStep seat(String seat) {
    return seats.getOrDefault(seat, SeatStep.NOTHING);
  }

  /** A step after which {@code next} moves alone (turn-based). */
  public static MatchStep turn(Map<String, SeatStep> seats, String next) {
    return new MatchStep(seats, Set.of(next), false, false);
  }

  /** A step that ends the match (terminated). */
  public static MatchStep end(Map<String, SeatStep> seats) {
    return new MatchStep(seats, Set.of(), true, false);
  }
}
