package dev.ludus.environments.tools;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The kinds of generated task, after BFCL's test categories.
 *
 * <ul>
 *   <li>{@link #SIMPLE}: one function offered, one call;
 *   <li>{@link #MULTIPLE}: several functions offered, one call of the right one;
 *   <li>{@link #PARALLEL}: one function, several calls in one message;
 *   <li>{@link #IRRELEVANCE}: no offered function fits, the agent must not call;
 *   <li>{@link #MISSING_ARGUMENT}: the request lacks a required detail: the agent must ask the user first;
 *   <li>{@link #MULTI_TURN}: several requests in a row on stateful sandboxes, some needing several steps.
 * </ul>
 */
public enum Category {
  SIMPLE(2),
  MULTIPLE(2),
  PARALLEL(1.5),
  IRRELEVANCE(1),
  MISSING_ARGUMENT(1.5),
  MULTI_TURN(2);

  private final double weight;

  Category(double weight) {
    this.weight = weight;
  }

  /** How often the category comes up among the categories in play (relative). */
  double weight() {
    return weight;
  }

  /** The kebab-case name used in configurations and task fields, e.g. {@code missing-argument}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Whether a task of this category has one user turn with one message of calls (BFCL single-turn). */
  public boolean singleTurn() {
    return this == SIMPLE || this == MULTIPLE || this == PARALLEL || this == IRRELEVANCE;
  }

  /** The category named {@code wire}; fails naming the value and the allowed ones. */
  public static Category fromWire(String wire) {
    for (Category c : values()) {
      if (c.wireName().equals(wire)) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown category '" + wire + "'; allowed: "
        + Arrays.stream(values()).map(Category::wireName).collect(Collectors.joining(", ")));
  }
}
