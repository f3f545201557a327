package dev.ludus.shaping.judge;

import dev.ludus.api.Episode;
import dev.ludus.api.Message;
import dev.ludus.api.ToolCall;
import dev.ludus.api.Turn;
import java.util.ArrayList;
import java.util.List;

/**
 * An episode as the judge reads it: its messages in order, one rendered line block each, with the assistant
 * called {@code agent}. Also the shared prefix of a group (RULER: the messages every episode of the group
 * begins with, shown once). Stateless.
 */
final class Transcript {
  private Transcript() {}

  /** The episode's messages rendered one block each: the opening, then each turn's action and observation. */
  static List<String> messages(Episode e) {
    List<String> out = new ArrayList<>();
    e.start().forEach(m -> out.add(render(m)));
    for (Turn t : e.turns()) {
      out.add(render(t.action()));
      t.observation().forEach(m -> out.add(render(m)));
    }
    return out;
  }

  private static String render(Message m) {
    String who = switch (m.role()) {
      case ASSISTANT -> "agent";
      default -> m.role().wireName();
    };
    StringBuilder b = new StringBuilder("[").append(who).append("] ").append(m.content() == null ? "" : m.content());
    for (ToolCall c : m.toolCalls()) {
      b.append("\n[agent calls ").append(c.function().name()).append("] ").append(c.function().arguments());
    }
    return b.toString();
  }

  /** How many leading messages every list in {@code group} shares. */
  static int sharedPrefix(List<List<String>> group) {
    if (group.size() < 2) {
      return 0;
    }
    int n = group.stream().mapToInt(List::size).min().orElse(0);
    for (int i = 0; i < n; i++) {
      String m = group.get(0).get(i);
      for (List<String> other : group) {
        if (!other.get(i).equals(m)) {
          return i;
        }
      }
    }
    return n;
  }

  /** Messages {@code from..} of {@code messages}, one block per message. */
  static String join(List<String> messages, int from, int to) {
    return String.join("\n", messages.subList(Math.min(from, messages.size()), Math.min(to, messages.size())));
  }

  /** The agent's characters over the episode: the length the length-bias control reads. */
  static int agentChars(Episode e) {
    int n = 0;
    for (Turn t : e.turns()) {
      n += t.action().content() == null ? 0 : t.action().content().length();
      for (ToolCall c : t.action().toolCalls()) {
        n += c.function().arguments().length();
      }
    }
    return n;
  }
}
