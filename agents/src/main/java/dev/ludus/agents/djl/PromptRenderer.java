package dev.ludus.agents.djl;

import dev.ludus.api.Message;
import dev.ludus.api.ToolSpec;
import java.util.List;
import java.util.Map;

/**
 * Renders a conversation to the token ids a model reads for the assistant's next turn: the built-in token-level
 * template, or a model's own chat template ({@link LmTokenizer#chatTemplate()}). Implementations are immutable and
 * thread-safe.
 */
@FunctionalInterface
public interface PromptRenderer {
  /**
   * The prompt for the assistant's next turn when {@code tools} are on offer; an assistant message whose text is a key
   * of {@code ownReplies} may be rendered as those ids (the ones the agent sampled for it).
   */
  int[] render(List<Message> conversation, List<ToolSpec> tools, Map<String, int[]> ownReplies);
}
