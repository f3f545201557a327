package dev.ludus.environments.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ludus.environments.text.ActionText.Direction;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ActionTextDirectionsTest {
  @Test
  void directionsListsEveryDirectionNamedSoThatNoneAndSeveralDiffer() {
    assertEquals(Set.of(), ActionText.directions("jump"));
    assertEquals(Set.of(Direction.UP, Direction.LEFT), ActionText.directions("up, no, left"));
    assertEquals(Set.of(Direction.RIGHT), ActionText.directions("east, then right again"));
    assertEquals(Set.of(Direction.DOWN), ActionText.directions(" s "));
  }

  @Test
  void directionStillReadsOnlyASingleDirection() {
    assertEquals(Optional.of(Direction.LEFT), ActionText.direction("I go west"));
    assertEquals(Optional.empty(), ActionText.direction("up or down"));
    assertEquals(Optional.of(Direction.UP), ActionText.direction("w"));
    assertEquals(Optional.empty(), ActionText.direction("x"));
  }
}
