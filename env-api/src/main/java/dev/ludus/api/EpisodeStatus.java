package dev.ludus.api;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How an episode ended. */
public enum EpisodeStatus {
  /** The task reached an end state (success or not). */
  COMPLETED,
  /** The episode was cut for a reason outside the task (turn limit). */
  TRUNCATED,
  /** Something broke (the environment threw, the agent failed, a time limit passed); see the reason. */
  FAILED;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
