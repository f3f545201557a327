package dev.ludus.runner.dashboard;

import dev.ludus.api.EpisodeStatus;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which episodes the browser lists. */
enum EpisodeFilter {
  ALL,
  SUCCESS,
  UNSUCCESSFUL,
  COMPLETED,
  TRUNCATED,
  FAILED;

  /** Whether an episode with {@code status} and {@code success} passes. */
  boolean accepts(EpisodeStatus status, boolean success) {
    return switch (this) {
      case ALL -> true;
      case SUCCESS -> success;
      case UNSUCCESSFUL -> !success && status != EpisodeStatus.FAILED;
      case COMPLETED -> status == EpisodeStatus.COMPLETED;
      case TRUNCATED -> status == EpisodeStatus.TRUNCATED;
      case FAILED -> status == EpisodeStatus.FAILED;
    };
  }

  String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The filter named {@code name} (null: all); fails naming the allowed names. */
  static EpisodeFilter parse(String name) {
    if (name == null || name.isEmpty()) {
      return ALL;
    }
    for (EpisodeFilter f : values()) {
      if (f.wireName().equals(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown filter '" + name + "'; allowed: "
        + Arrays.stream(values()).map(EpisodeFilter::wireName).collect(Collectors.joining(", ")));
  }
}
