package dev.ludus.environments.sparse;

import dev.ludus.environments.text.ActionText.Direction;

/** A grid position, row 0 at the top. Immutable. */
record Cell(int row, int col) {
  Cell step(Direction d) {
    return new Cell(row + d.dRow, col + d.dCol);
  }

  boolean adjacent(Cell other) {
    return Math.abs(row - other.row) + Math.abs(col - other.col) == 1;
  }
}
