package dev.ludus.environments.sparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SokobanConfigTest {
  private static String rejection(Runnable build) {
    return assertThrows(IllegalArgumentException.class, build::run).getMessage();
  }

  @Test
  void defaults_areASixBySixRoomWithOneBox() {
    assertEquals(new SokobanConfig(6, 6, 1, 15, 30), SokobanConfig.defaults());
    assertEquals(SokobanConfig.defaults(), new SokobanProvider().defaultConfig());
  }

  @Test
  void anOutOfRangeField_isNamedWithItsValueAndRange() {
    assertEquals("width must be between 3 and 10, was 11", rejection(() -> new SokobanConfig(11, 6, 1, 15, 30)));
    assertEquals("height must be between 3 and 10, was 2", rejection(() -> new SokobanConfig(6, 2, 1, 15, 30)));
    assertEquals("boxes must be between 1 and 4, was 0", rejection(() -> new SokobanConfig(6, 6, 0, 15, 30)));
    assertEquals("maxTurns must be between 1 and 1000, was 0", rejection(() -> new SokobanConfig(6, 6, 1, 15, 0)));
    assertEquals("reverseSteps must be between 1 and 200, was 0", rejection(() -> new SokobanConfig(6, 6, 1, 0, 30)));
  }

  @Test
  void tooManyBoxesForTheRoom_isRejected() {
    assertEquals("boxes must be at most width*height/4 = 2 for a 3x3 room, was 3",
        rejection(() -> new SokobanConfig(3, 3, 3, 5, 30)));
  }

  @Test
  void reverseStepsBeyondTheTurnLimit_isRejected() {
    assertEquals("reverseSteps must be at most maxTurns (10) so that every level can be solved within the turn "
        + "limit, was 11", rejection(() -> new SokobanConfig(6, 6, 1, 11, 10)));
  }
}
