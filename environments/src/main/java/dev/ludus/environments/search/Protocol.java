package dev.ludus.environments.search;

import dev.ludus.api.Message;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The texts of the two action protocols: Search-R1's prompt, action grammar, information block and
 * invalid-action message (from {@code nq_search.py} and {@code generation.py}), and the tool protocol's
 * equivalents. Stateless.
 */
final class Protocol {
  private Protocol() {}

  /** Search-R1's {@code postprocess_predictions}: the first search or answer block, its content stripped. */
  static final Pattern ACTION = Pattern.compile("<(search|answer)>(.*?)</\\1>", Pattern.DOTALL);
  private static final Pattern TOOL_CALL_BLOCK = Pattern.compile("<tool_call>.*?</tool_call>", Pattern.DOTALL);

  /** Search-R1's {@code make_prefix} ({@code template_type: base}). */
  static String tagsPrompt(String question) {
    return "Answer the given question. You must conduct reasoning inside <think> and </think> first every time you "
        + "get new information. After reasoning, if you find you lack some knowledge, you can call a search engine by "
        + "<search> query </search> and it will return the top searched results between <information> and "
        + "</information>. You can search as many times as your want. If you find no further external knowledge "
        + "needed, you can directly provide the answer inside <answer> and </answer>, without detailed "
        + "illustrations. For example, <answer> Beijing </answer>. Question: " + question + "\n";
  }

  /** The same instructions for the tool protocol. */
  static String toolsPrompt(String question) {
    return "Answer the given question. Reason first every time you get new information. If you lack some knowledge, "
        + "call the search tool with a query; it returns the top searched results. You can search as many times as "
        + "you want. If you find no further external knowledge needed, call the answer tool with the answer, "
        + "without detailed illustrations. Question: " + question + "\n";
  }

  /** A conversation's later question. */
  static String followUp(String question) {
    return "Question: " + question + "\n";
  }

  /** Search-R1's observation after a search: the passages between {@code <information>} tags. */
  static String information(String docs) {
    return "\n\n<information>" + docs.strip() + "</information>\n\n";
  }

  /** Search-R1's answer to an unreadable action. */
  static final String INVALID_TAGS = "\nMy previous action is invalid. If I want to search, I should put the query "
      + "between <search> and </search>. If I want to give the final answer, I should put the answer between "
      + "<answer> and </answer>. Let me try again.\n";

  /** The tool protocol's answer to a message that calls neither tool. */
  static final String INVALID_TOOLS = "\nMy previous action is invalid. If I want to search, I should call the "
      + "search tool with a query. If I want to give the final answer, I should call the answer tool with it. Let me "
      + "try again.\n";

  static final String SEARCH_SCHEMA = """
      {"type": "object", "properties": {"query": {"type": "string", "description": "what to search for"}},
       "required": ["query"]}""";
  static final String ANSWER_SCHEMA = """
      {"type": "object", "properties": {"text": {"type": "string", "description": "the short final answer"}},
       "required": ["text"]}""";

  /** A tagged action: {@code search} or {@code answer} and the block's content, or null when there is none. */
  record Action(String kind, String content) {}

  static Action parse(String content) {
    Matcher m = ACTION.matcher(content);
    return m.find() ? new Action(m.group(1), m.group(2).strip()) : null;
  }

  /** The message's text without hermes tool-call blocks (what the tool protocol counts as reasoning). */
  static String reasoning(Message m) {
    return TOOL_CALL_BLOCK.matcher(m.content()).replaceAll("").strip();
  }
}
