package dev.ludus.api.tools;

import dev.ludus.api.ToolCall;
import java.util.List;

/** One way of writing tool calls in text. Implementations are stateless and thread-safe. */
interface Format {
  /** The name {@link ToolCallParser#of(String)} knows it by. */
  String name();

  /** Reads the calls in {@code text}; never throws for any non-null string. */
  ParseResult parse(String text);

  /** The text that makes {@code calls} in this format (empty for none). */
  String render(List<ToolCall> calls);

  /** How to call functions in this format, said after the tools block of {@link ToolCallParser#instructions}. */
  String howToCall();
}
