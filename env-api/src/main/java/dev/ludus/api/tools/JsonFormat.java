package dev.ludus.api.tools;

import dev.ludus.api.ToolCall;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code json} format: the whole message (surrounding whitespace aside) is a call object {@code
 * {"name": ..., "arguments": {...}}} or an array of them; or, when the message does not start with
 * <code>&#123;</code> or <code>[</code>, its code fences labelled {@code json} (and unlabelled fences whose body starts
 * with <code>&#123;</code> or <code>[</code>) hold the calls, and the rest of the message is content. Fences in other
 * languages are content. JSON in running prose outside a fence is not looked for. Stateless.
 */
final class JsonFormat implements Format {
  private static final String FENCE = "```";

  @Override
  public String name() {
    return "json";
  }

  @Override
  public String render(List<ToolCall> calls) {
    List<String> objects = calls.stream().map(c -> CallJson.callObject(c.name(), c.arguments())).toList();
    return objects.size() == 1 ? objects.get(0) : objects.isEmpty() ? "" : "[" + String.join(",", objects) + "]";
  }

  @Override
  public String howToCall() {
    return "To call functions, answer with only a JSON object {\"name\": <function-name>, \"arguments\": "
        + "<arguments-object>}, or a JSON array of such objects.";
  }

  @Override
  public ParseResult parse(String text) {
    int s = CallJson.skipSpace(text, 0, text.length());
    int e = CallJson.trimSpace(text, s, text.length());
    if (s == e) {
      return new ParseResult.NoCalls("");
    }
    List<ParsedCall> calls = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    char first = text.charAt(s);
    if (first == '{' || first == '[') {
      ParseResult.Failure f = CallJson.readCalls(text, s, e, new CallJson.Block("the message", s, e), false, calls,
          warnings);
      return f != null ? f : new ParseResult.Calls(calls, "", warnings);
    }
    StringBuilder content = new StringBuilder();
    int contentFrom = 0;
    int scan = 0;
    while (true) {
      int fence = text.indexOf(FENCE, scan);
      if (fence < 0) {
        break;
      }
      int langEnd = fence + FENCE.length();
      while (langEnd < text.length() && isLangChar(text.charAt(langEnd))) {
        langEnd++;
      }
      String lang = text.substring(fence + FENCE.length(), langEnd);
      int close = text.indexOf(FENCE, langEnd);
      boolean unclosed = close < 0;
      int bodyEnd = unclosed ? text.length() : close;
      int fenceEnd = unclosed ? text.length() : close + FENCE.length();
      int bodyFirst = CallJson.skipSpace(text, langEnd, bodyEnd);
      boolean looksJson = bodyFirst < bodyEnd && (text.charAt(bodyFirst) == '{' || text.charAt(bodyFirst) == '[');
      if (!lang.equalsIgnoreCase("json") && !(lang.isEmpty() && looksJson)) {
        scan = fenceEnd;
        continue;
      }
      CallJson.Block block = new CallJson.Block("the code fence at offset " + fence, fence, fenceEnd);
      List<String> blockWarnings = new ArrayList<>();
      ParseResult.Failure f = CallJson.readCalls(text, langEnd, bodyEnd, block, false, calls, blockWarnings);
      if (unclosed && f != null
          && (f.kind() == ParseResult.Kind.INVALID_JSON || f.kind() == ParseResult.Kind.EMPTY_BLOCK)) {
        return new ParseResult.Failure(ParseResult.Kind.UNCLOSED_FENCE, "the code fence at offset " + fence
            + " is never closed and what follows it is not a complete call (" + f.detail() + ")", fence);
      }
      if (f != null) {
        return f;
      }
      warnings.add(unclosed
          ? "read the calls after an unclosed code fence at offset " + fence + ", to the end of the text"
          : "read the calls from the code fence at offset " + fence);
      warnings.addAll(blockWarnings);
      content.append(text, contentFrom, fence);
      contentFrom = fenceEnd;
      scan = fenceEnd;
    }
    content.append(text, contentFrom, text.length());
    String rest = content.toString().strip();
    return calls.isEmpty() ? new ParseResult.NoCalls(rest) : new ParseResult.Calls(calls, rest, warnings);
  }

  private static boolean isLangChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '+';
  }
}
