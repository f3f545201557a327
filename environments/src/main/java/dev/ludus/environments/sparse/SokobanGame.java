package dev.ludus.environments.sparse;

import dev.ludus.environments.text.ActionText.Direction;

/**
 * A position in a level and the rules that change it: the player steps onto free floor, or pushes the one
 * box in front of it when the cell behind that box is free; anything else leaves the position unchanged.
 * Mutable and not thread-safe: one per episode (or per oracle call).
 */
final class SokobanGame {
  /** What a move did. */
  enum Outcome {
    MOVED,
    PUSHED,
    BLOCKED_BY_WALL,
    BOX_BLOCKED
  }

  private final SokobanLevel level;
  private final boolean[] boxAt;
  private int player;

  SokobanGame(SokobanLevel level) {
    this.level = level;
    this.boxAt = new boolean[level.size()];
    for (int b : level.boxes()) {
      boxAt[b] = true;
    }
    this.player = level.player();
  }

  SokobanLevel level() {
    return level;
  }

  Outcome move(Direction d) {
    int off = level.offset(d.ordinal());
    int next = player + off;
    if (level.isWall(next)) {
      return Outcome.BLOCKED_BY_WALL;
    }
    if (boxAt[next]) {
      int behind = next + off;
      if (level.isWall(behind) || boxAt[behind]) {
        return Outcome.BOX_BLOCKED;
      }
      boxAt[next] = false;
      boxAt[behind] = true;
      player = next;
      return Outcome.PUSHED;
    }
    player = next;
    return Outcome.MOVED;
  }

  int player() {
    return player;
  }

  /** The boxes' cells, sorted. */
  int[] boxes() {
    int[] out = new int[level.boxCount()];
    int n = 0;
    for (int i = 0; i < boxAt.length; i++) {
      if (boxAt[i]) {
        out[n++] = i;
      }
    }
    return out;
  }

  int boxesOnTarget() {
    int n = 0;
    for (int i = 0; i < boxAt.length; i++) {
      if (boxAt[i] && level.isTarget(i)) {
        n++;
      }
    }
    return n;
  }

  boolean solved() {
    return boxesOnTarget() == level.boxCount();
  }

  /** The position packed as in {@link SokobanStates}. */
  long state() {
    return SokobanStates.pack(player, boxes());
  }

  String render() {
    return level.render(player, boxAt);
  }
}
