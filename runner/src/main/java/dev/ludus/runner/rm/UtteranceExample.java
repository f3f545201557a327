package dev.ludus.runner.rm;

import dev.ludus.api.Message;
import java.util.List;

/**
 * One utterance and its attributed reward, for Sotopia-RL's utterance reward model: the conversation up to and
 * including the agent's utterance, and the reward the ledger gave that turn. Immutable.
 *
 * @param conversation the history and, last, the agent's utterance; not empty
 * @param target the turn's attributed reward
 * @param group the episode group it came from, so that a held-out split keeps a group on one side; or null
 */
public record UtteranceExample(List<Message> conversation, double target, String group) {
  public UtteranceExample {
    if (conversation == null || conversation.isEmpty()) {
      throw new IllegalArgumentException("an utterance example needs a non-empty conversation");
    }
    if (!Double.isFinite(target)) {
      throw new IllegalArgumentException("an utterance example needs a finite target, was " + target);
    }
    conversation = List.copyOf(conversation);
  }
}
