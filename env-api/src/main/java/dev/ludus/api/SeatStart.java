package dev.ludus.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one seat is shown when a match starts. Immutable and thread-safe.
 *
 * @param observation the seat's opening messages (its rules, its own goal or values)
 * @param tools the tools the seat's agent may call
 * @param privateInfo the seat's private view of the task: what this seat, and no other, may know (its goal, its
 *     values), as task fields. An agent privileged for the seat ({@link PrivilegedAgent}: the environment's oracle)
 *     gets it as its request's {@link Task#fields()}; other agents get no fields and read what they need from the
 *     observation. It must never hold another seat's information ({@link EnvChecker} verifies it).
 * @param signals facts for the shapers of this seat's episode; the value of a {@link SignalKey#secret() secret} one
 *     must never be readable by another seat
 */
public record SeatStart(List<Message> observation, List<ToolSpec> tools, Map<String, String> privateInfo,
    Signals signals) {
  public SeatStart {
    observation = List.copyOf(Objects.requireNonNull(observation, "observation"));
    tools = tools == null ? List.of() : List.copyOf(tools);
    privateInfo = privateInfo == null ? Map.of() : Map.copyOf(privateInfo);
    signals = signals == null ? Signals.empty() : signals;
  }

  /** A start that shows {@code observation}, without tools, private information or signals. */
  public static SeatStart of(List<Message> observation) {
    return new SeatStart(observation, List.of(), Map.of(), Signals.empty());
  }
}
