package dev.ludus.runner.cli;

import dev.ludus.api.Registry;
import jakarta.inject.Singleton;

/** What the commands share: the plugin registry, loaded once. A Micronaut singleton; thread-safe. */
@Singleton
public class LudusServices {
  private final Registry registry = Registry.load();

  public Registry registry() {
    return registry;
  }
}
