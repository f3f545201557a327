package dev.ludus.simulators.support;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a user who shares a problem hopes for, hidden from the agent (RLVER/SAGE's hidden aim). Each need is
 * met by one {@link Move}.
 */
public enum Need {
  /** To hear that the feelings are understandable: met by {@link Move#VALIDATE}. */
  VALIDATION(Move.VALIDATE),
  /** To be told what to do next: met by {@link Move#ADVISE}. */
  ADVICE(Move.ADVISE),
  /** To understand why someone else acted as they did: met by {@link Move#ANALYSE_OTHERS}. */
  ANALYSIS_OF_OTHERS(Move.ANALYSE_OTHERS),
  /** To talk it out while someone listens: met by {@link Move#LISTEN}. */
  VENTING(Move.LISTEN);

  private final Move metBy;

  Need(Move metBy) {
    this.metBy = metBy;
  }

  /** The move that meets this need. */
  public Move metBy() {
    return metBy;
  }

  /** The kebab-case name used in profile files and signals, e.g. {@code analysis-of-others}. */
  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The need named {@code wire}; fails naming the value and the allowed ones. */
  @JsonCreator
  public static Need fromWire(String wire) {
    for (Need n : values()) {
      if (n.wireName().equals(wire)) {
        return n;
      }
    }
    throw new IllegalArgumentException("unknown need '" + wire + "'; allowed: "
        + Arrays.stream(values()).map(Need::wireName).collect(Collectors.joining(", ")));
  }
}
