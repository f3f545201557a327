package dev.ludus.runner.testenv;

import java.util.Optional;

/**
 * {@code test-splits}: {@link PlainSplitsProvider}'s environment declaring its validation tasks too: beside
 * {@code split: train}, model selection plays {@code validation} (and the held-out evaluation {@code dev}).
 */
public final class SplitsProvider extends PlainSplitsProvider {
  @Override
  public String name() {
    return "test-splits";
  }

  @Override
  public String description() {
    return "test environment whose episodes succeed only on the validation split, which it declares";
  }

  @Override
  public Optional<Config> validation(Config config) {
    return config.split().equals("train") ? Optional.of(new Config("validation")) : Optional.empty();
  }
}
