package dev.ludus.runner.oni;

import dev.ludus.api.ConfigException;
import dev.ludus.api.Episode;
import dev.ludus.api.Message;
import dev.ludus.api.Turn;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The message of each turn that ONI's shapers score: the observation that followed the agent's action (ONI labels the
 * environment's messages) or the action itself. Stateless.
 */
final class TurnMessages {
  static final List<String> KINDS = List.of("observation", "action");

  private TurnMessages() {}

  /** {@code kind} if it is one of {@link #KINDS}. */
  static String check(String shaper, String kind) {
    String k = kind == null ? "observation" : kind.strip();
    if (!KINDS.contains(k)) {
      throw new ConfigException(shaper + ": message must be one of " + String.join(", ", KINDS) + ", was '" + kind
          + "'");
    }
    return k;
  }

  /** The text of each turn of {@code episode} ({@code kind}: observation or action); empty when it has none. */
  static List<String> of(Episode episode, String kind) {
    List<String> out = new ArrayList<>(episode.turns().size());
    for (Turn t : episode.turns()) {
      out.add(kind.equals("action") ? t.action().content().strip()
          : t.observation().stream().map(Message::content).collect(Collectors.joining("\n")).strip());
    }
    return out;
  }
}
