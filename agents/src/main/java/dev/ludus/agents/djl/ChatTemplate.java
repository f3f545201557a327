package dev.ludus.agents.djl;

import dev.ludus.api.Message;
import dev.ludus.api.Role;
import dev.ludus.api.ToolSpec;
import dev.ludus.api.tools.ToolCallParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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
 * same way every earlier message is closed. A role without a marker token (possible with a Hugging Face
 * vocabulary) is written as the text {@code role:}.
 *
 * <p>Tools, in the manner of the Hermes and Qwen templates, in the template's {@linkplain ToolCallParser
 * format} (hermes unless told otherwise): when the turn offers tools, the format's {@linkplain
 * ToolCallParser#instructions tools block} (one JSON line per tool and how to call them) is appended to the
 * first message if it is a system message, after a blank line, or else opens the conversation as a system
 * message of its own. An assistant message's tool calls are written after its content, on a new line, as
 * the format {@linkplain ToolCallParser#render renders} them ({@code <tool_call>} blocks), which is exactly
 * what the model is told to write and what {@code textToolCalls} reads back. A tool result is its content
 * under the tool marker. A conversation without tools or tool calls renders exactly as it did before tools
 * were rendered. Deterministic; immutable and thread-safe.
 */
final class ChatTemplate implements PromptRenderer {
  private final LmTokenizer tokenizer;
  private final ToolCallParser format;

  ChatTemplate(LmTokenizer tokenizer) {
    this(tokenizer, ToolCallParser.hermes());
  }

  ChatTemplate(LmTokenizer tokenizer, ToolCallParser format) {
    this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
    this.format = Objects.requireNonNull(format, "format");
  }

  /** The prompt for the assistant's next turn, with no tools on offer. */
  int[] render(List<Message> conversation) {
    return render(conversation, List.of());
  }

  /** The prompt for the assistant's next turn when {@code tools} are on offer. */
  int[] render(List<Message> conversation, List<ToolSpec> tools) {
    return render(conversation, tools, java.util.Map.of());
  }

  /**
   * The prompt for the assistant's next turn, where an assistant message whose text is a key of {@code ownReplies}
   * is rendered as those ids (the ones the agent sampled for it) rather than by encoding its text.
   */
  @Override
  public int[] render(List<Message> conversation, List<ToolSpec> tools, java.util.Map<String, int[]> ownReplies) {
    IntStream.Builder out = IntStream.builder();
    if (tokenizer.bosId() >= 0) {
      out.add(tokenizer.bosId());
    }
    for (Turn t : turns(conversation, tools)) {
      marker(out, t.role());
      int[] sampled = t.role() == Role.ASSISTANT ? ownReplies.get(t.text()) : null;
      for (int id : sampled != null ? sampled : tokenizer.encode(t.text())) {
        out.add(id);
      }
      out.add(tokenizer.eosId());
    }
    marker(out, Role.ASSISTANT);
    return out.build().toArray();
  }

  /** One rendered message: its role and its text. */
  record Turn(Role role, String text) {}

  /** The messages as the model reads them: the tools block in the system message, calls as text. */
  List<Turn> turns(List<Message> conversation, List<ToolSpec> tools) {
    List<Turn> out = new ArrayList<>(conversation.size() + 1);
    String toolBlock = tools.isEmpty() ? null : format.instructions(tools);
    if (toolBlock != null && (conversation.isEmpty() || conversation.get(0).role() != Role.SYSTEM)) {
      out.add(new Turn(Role.SYSTEM, toolBlock));
      toolBlock = null;
    }
    for (Message m : conversation) {
      String text = text(m);
      if (toolBlock != null) {
        text = text.isEmpty() ? toolBlock : text + "\n\n" + toolBlock;
        toolBlock = null;
      }
      out.add(new Turn(m.role(), text));
    }
    return out;
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

  private String text(Message m) {
    if (m.toolCalls().isEmpty()) {
      return m.content();
    }
    String calls = format.render(m.toolCalls());
    return m.content().isEmpty() ? calls : m.content() + "\n" + calls;
  }
}
