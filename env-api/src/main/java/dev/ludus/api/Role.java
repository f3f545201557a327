package dev.ludus.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The author of a chat message, as in the OpenAI chat format. */
public enum Role {
  SYSTEM,
  USER,
  ASSISTANT,
  TOOL;

  /** The wire name: {@code system}, {@code user}, {@code assistant} or {@code tool}. */
  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a wire name; fails naming the bad value and the allowed ones. */
  @JsonCreator
  public static Role fromWire(String name) {
    for (Role r : values()) {
      if (r.wireName().equals(name)) {
        return r;
      }
    }
    throw new IllegalArgumentException(
        "unknown role '" + name + "'; allowed: "
            + Arrays.stream(values()).map(Role::wireName).collect(Collectors.joining(", ")));
  }
}
