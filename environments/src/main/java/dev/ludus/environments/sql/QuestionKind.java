package dev.ludus.environments.sql;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The SQL templates generated questions come from. */
public enum QuestionKind {
  /** {@code WHERE} on a category, a number, or both. */
  @JsonProperty("filter")
  FILTER("filter"),
  /** A join along a foreign key, listing or counting rows by a condition on the other table. */
  @JsonProperty("join")
  JOIN("join"),
  /** {@code GROUP BY … HAVING} on a count or an average. */
  @JsonProperty("group-having")
  GROUP_HAVING("group-having"),
  /** {@code ORDER BY … LIMIT k}; ties at the cut are rejected. */
  @JsonProperty("order-limit")
  ORDER_LIMIT("order-limit"),
  /** A subquery: above the average, equal to the maximum, {@code IN} / {@code NOT IN}. */
  @JsonProperty("nested")
  NESTED("nested"),
  /** Dates stored as text: a year, a range, before a day, the latest. */
  @JsonProperty("date")
  DATE("date"),
  /** A percentage or a ratio of sums, with the formula as evidence (BIRD's external knowledge). */
  @JsonProperty("ratio")
  RATIO("ratio");

  private final String word;

  QuestionKind(String word) {
    this.word = word;
  }

  /** The kind as files and signals write it, e.g. {@code group-having}. */
  public String word() {
    return word;
  }
}
