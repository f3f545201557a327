package dev.ludus.agents.djl;

import dev.ludus.api.Message;
import java.util.List;

/**
 * A conversation as the token ids a djl-lm model reads it: the chat template's rendering (beginning of sequence,
 * each message under its role marker and closed by the end-of-turn token, then the assistant marker). What a
 * scorer reads, such as a reward model's head at the last token, is then the state after the whole conversation.
 * Stateless and thread-safe.
 */
public final class ConversationIds {
  private ConversationIds() {}

  /** The ids of {@code conversation} under {@code tokenizer}, rendered as djl-lm renders its prompts. */
  public static int[] of(LmTokenizer tokenizer, List<Message> conversation) {
    return new ChatTemplate(tokenizer).render(conversation);
  }
}
