package dev.ludus.agents.djl;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The token ids this agent sampled for its own earlier replies, by conversation and reply text, so that the chat
 * template renders a reply it wrote as the ids it produced instead of re-encoding its text. A byte-level BPE does
 * not always encode a decoded sample back to the same ids; re-encoded history would make the next prompt differ
 * from the tokens the policy saw and produced (token in, token out), splitting packed rows and missing the
 * key/value cache. Keyed by text: if a conversation's agent wrote the same text twice from different ids, both
 * render as the later ids (a rare miss of exactness, never an error); a reply the environment changed (a text tool
 * call turned into a native one) is encoded again as before.
 *
 * <p>Bounded: at most {@code maxConversations} conversations, least recently used first out; an ended episode's
 * conversations are released at once. Thread-safe (one lock; the maps are small).
 */
final class OwnReplies {
  private final int maxConversations;
  private final LinkedHashMap<String, Map<String, int[]>> byConversation;

  OwnReplies(int maxConversations) {
    this.maxConversations = maxConversations;
    this.byConversation = new LinkedHashMap<>(16, 0.75f, true);
  }

  /** Remembers that {@code conversation}'s reply {@code text} was sampled as {@code ids} (end of sequence dropped). */
  synchronized void remember(String conversation, String text, int[] ids, int eosId) {
    int n = ids.length > 0 && ids[ids.length - 1] == eosId ? ids.length - 1 : ids.length;
    byConversation.computeIfAbsent(conversation, k -> new HashMap<>()).put(text, java.util.Arrays.copyOf(ids, n));
    while (byConversation.size() > maxConversations) {
      byConversation.remove(byConversation.keySet().iterator().next());
    }
  }

  /** The replies of {@code conversation}, a copy (empty when none). */
  synchronized Map<String, int[]> of(String conversation) {
    Map<String, int[]> m = byConversation.get(conversation);
    return m == null ? Map.of() : Map.copyOf(m);
  }

  /** Forgets every conversation of the episode (each of its seats). */
  synchronized void release(String episodeId) {
    String seats = episodeId + DjlLmAgent.SEAT_SEPARATOR;
    byConversation.keySet().removeIf(k -> k.equals(episodeId) || k.startsWith(seats));
  }

  synchronized int size() {
    return byConversation.size();
  }
}
