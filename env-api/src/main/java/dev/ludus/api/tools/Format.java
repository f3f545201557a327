package dev.ludus.api.tools;

/** One way of writing tool calls in text. Implementations are stateless and thread-safe. */
interface Format {
  /** The name {@link ToolCallParser#of(String)} knows it by. */
  String name();

  /** Reads the calls in {@code text}; never throws for any non-null string. */
  ParseResult parse(String text);
}
