package dev.ludus.simulators.support;

/** RLVER/SAGE's emotion bands: S at 100, A from 70, B from 40, C from 10, F below 10. */
public enum Band {
  S, A, B, C, F;

  /** The band of an emotion score. */
  public static Band of(double emotion) {
    if (emotion >= 100) {
      return S;
    } else if (emotion >= 70) {
      return A;
    } else if (emotion >= 40) {
      return B;
    } else if (emotion >= 10) {
      return C;
    }
    return F;
  }

  /** Whether the user says goodbye in this band (S: helped enough; F: gives up). */
  public boolean saysGoodbye() {
    return this == S || this == F;
  }
}
