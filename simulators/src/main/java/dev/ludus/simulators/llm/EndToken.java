package dev.ludus.simulators.llm;

import java.util.Locale;
import java.util.Optional;

/**
 * The tokens with which a simulated user's model ends the conversation: tau2-bench's {@code ###STOP###} (goal
 * satisfied), {@code ###TRANSFER###} (transferred to a human) and {@code ###OUT-OF-SCOPE###} (the scenario has run
 * out), and verifiers' {@code ###DONE###}.
 */
public enum EndToken {
  STOP("###STOP###"),
  TRANSFER("###TRANSFER###"),
  OUT_OF_SCOPE("###OUT-OF-SCOPE###"),
  DONE("###DONE###");

  private final String token;

  EndToken(String token) {
    this.token = token;
  }

  /** The token as the model writes it. */
  public String token() {
    return token;
  }

  /** The kebab-case name the {@code user-end} signal holds: {@code stop}, {@code transfer}, ... */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The first end token {@code reply} contains, if any. */
  public static Optional<EndToken> in(String reply) {
    if (reply == null) {
      return Optional.empty();
    }
    for (EndToken t : values()) {
      if (reply.contains(t.token)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
