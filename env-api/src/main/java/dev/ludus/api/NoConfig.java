package dev.ludus.api;

/** The configuration of a plugin that has none. */
public record NoConfig() {
  public static final NoConfig INSTANCE = new NoConfig();
}
