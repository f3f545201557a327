package dev.ludus.agents.djl;

import dev.ludus.api.Message;
import dev.ludus.api.Role;
import dev.ludus.api.ToolCall;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.IntStream;

/**
 * Renders a conversation to the token ids the model reads, at the token level (special tokens are never
 * spelled out as text, so a message cannot forge one):
 *
 * <pre>
 *   [bos] (role-marker content-tokens eos)* assistant-marker
 * </pre>
 *
 * <p>Generation continues after the final assistant marker and ends at {@code eos}, which closes the turn the
 * same way every earlier message is closed. An assistant message's tool calls are appended to its content as
 * {@code name arguments} text. A role without a marker token (possible with a Hugging Face vocabulary) is
 * written as the text {@code role:}. Immutable and thread-safe.
 */
final class ChatTemplate {
  private final LmTokenizer tokenizer;

  ChatTemplate(LmTokenizer tokenizer) {
    this.tokenizer = tokenizer;
  }

  /** The prompt for the assistant's next turn. */
  int[] render(List<Message> conversation) {
    IntStream.Builder out = IntStream.builder();
    if (tokenizer.bosId() >= 0) {
      out.add(tokenizer.bosId());
    }
    for (Message m : conversation) {
      marker(out, m.role());
      for (int id : tokenizer.encode(text(m))) {
        out.add(id);
      }
      out.add(tokenizer.eosId());
    }
    marker(out, Role.ASSISTANT);
    return out.build().toArray();
  }

  private void marker(IntStream.Builder out, Role role) {
    OptionalInt id = tokenizer.roleId(role);
    if (id.isPresent()) {
      out.add(id.getAsInt());
    } else {
      for (int t : tokenizer.encode(role.wireName() + ":")) {
        out.add(t);
      }
    }
  }

  private static String text(Message m) {
    if (m.toolCalls().isEmpty()) {
      return m.content();
    }
    StringBuilder sb = new StringBuilder(m.content());
    for (ToolCall c : m.toolCalls()) {
      if (!sb.isEmpty()) {
        sb.append(' ');
      }
      sb.append(c.function().name()).append(' ').append(c.function().arguments());
    }
    return sb.toString();
  }
}
