package dev.ludus.api.tools;

import dev.ludus.api.ToolCall;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code hermes} format: {@code <tool_call>{"name": ..., "arguments": {...}}</tool_call>} blocks
 * anywhere in the text, each holding one call object, an array of them, or several one after another.
 *
 * <p>The tags are found by plain text search, as the Hermes and Qwen chat templates' own parsers do, so a
 * JSON string that itself contains {@code </tool_call>} ends the block early. Stateless.
 */
final class HermesFormat implements Format {
  static final String OPEN = "<tool_call>";
  static final String CLOSE = "</tool_call>";

  @Override
  public String name() {
    return "hermes";
  }

  @Override
  public String render(List<ToolCall> calls) {
    StringBuilder sb = new StringBuilder();
    for (ToolCall c : calls) {
      if (!sb.isEmpty()) {
        sb.append('\n');
      }
      sb.append(OPEN).append('\n').append(CallJson.callObject(c.name(), c.arguments())).append('\n').append(CLOSE);
    }
    return sb.toString();
  }

  @Override
  public String howToCall() {
    return "To call a function, write a JSON object with its name and arguments inside " + OPEN + CLOSE
        + " tags, one block per call:\n" + OPEN + "\n{\"name\": <function-name>, \"arguments\": <arguments-object>}\n"
        + CLOSE;
  }

  @Override
  public ParseResult parse(String text) {
    List<ParsedCall> calls = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    StringBuilder content = new StringBuilder();
    int pos = 0;
    while (true) {
      int open = text.indexOf(OPEN, pos);
      int strayClose = text.indexOf(CLOSE, pos);
      if (strayClose >= 0 && (open < 0 || strayClose < open)) {
        return new ParseResult.Failure(ParseResult.Kind.UNMATCHED_CLOSING_TAG,
            CLOSE + " at offset " + strayClose + " closes no open " + OPEN, strayClose);
      }
      if (open < 0) {
        break;
      }
      int bodyStart = open + OPEN.length();
      int close = text.indexOf(CLOSE, bodyStart);
      int nextOpen = text.indexOf(OPEN, bodyStart);
      if (nextOpen >= 0 && (close < 0 || nextOpen < close)) {
        return new ParseResult.Failure(ParseResult.Kind.UNCLOSED_TAG,
            OPEN + " at offset " + open + " is not closed before the next " + OPEN + " at offset " + nextOpen, open);
      }
      boolean unclosed = close < 0;
      int bodyEnd = unclosed ? text.length() : close;
      int blockEnd = unclosed ? text.length() : close + CLOSE.length();
      CallJson.Block block = new CallJson.Block(OPEN + " at offset " + open, open, blockEnd);
      List<String> blockWarnings = new ArrayList<>();
      ParseResult.Failure f = CallJson.readCalls(text, bodyStart, bodyEnd, block, true, calls, blockWarnings);
      if (unclosed) {
        if (f != null && (f.kind() == ParseResult.Kind.INVALID_JSON || f.kind() == ParseResult.Kind.EMPTY_BLOCK)) {
          return new ParseResult.Failure(ParseResult.Kind.UNCLOSED_TAG,
              OPEN + " at offset " + open + " is never closed and what follows it is not a complete call ("
                  + f.detail() + ")", open);
        }
        warnings.add("the final " + OPEN + " at offset " + open + " is not closed; read it to the end of the text");
      }
      if (f != null) {
        return f;
      }
      warnings.addAll(blockWarnings);
      content.append(text, pos, open);
      pos = blockEnd;
    }
    content.append(text, pos, text.length());
    String rest = content.toString().strip();
    return calls.isEmpty() ? new ParseResult.NoCalls(rest) : new ParseResult.Calls(calls, rest, warnings);
  }
}
