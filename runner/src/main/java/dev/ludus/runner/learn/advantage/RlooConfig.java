package dev.ludus.runner.learn.advantage;

/** Settings of RLOO (catalog E2): it has none. */
public record RlooConfig() {

  /** The only RLOO configuration. */
  public static RlooConfig defaults() {
    return new RlooConfig();
  }
}
