package dev.ludus.environments.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.Message;
import dev.ludus.api.Task;
import dev.ludus.api.ToolSpec;
import dev.ludus.api.tools.StrictJson;
import dev.ludus.environments.tools.sandbox.Intent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ToolRL's rows (qiancheng0/ToolRL, {@code dataset/rlla_4k_raw/rlla_*.json}): {@code {"instruction", "input",
 * "output"}}. The instruction is the system prompt and lists the tools as {@code N. Name: ...}, {@code
 * Description: ...}, {@code Parameters: {json}}; the input is the dialogue so far ({@code <user> ... </user>},
 * earlier {@code <tool_call>} and {@code <obs>}); the output is the gold answer: {@code <think>...</think>} then a
 * {@code <tool_call>} block with one {@code {"name", "parameters"}} per line and/or a {@code <response>}. As in
 * ToolRL's {@code rlla.py}, the prompt is the instruction as system message and the input as user message, and
 * the output is the {@code tool-call} shaper's gold (its field {@code gold_calls} holds the output text). Success:
 * the calls equal the gold's in order (ToolRL's exact match), or no call when the gold has none. Stateless.
 */
final class ToolRlFormat {
  private ToolRlFormat() {}

  static final String FORMAT = "toolrl";
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final Pattern TOOL = Pattern.compile(
      "(?m)^\\s*\\d+\\.\\s*Name:\\s*(.+?)\\s*\\R\\s*Description:\\s*(.*?)\\s*\\R\\s*Parameters:\\s*(\\{.*\\})\\s*$");

  /** ToolRL's instruction, with {@code TOOLS} where the tool list goes (written by the dataset writer). */
  static final String INSTRUCTION = """
      You are a helpful multi-turn dialogue assistant capable of leveraging tool calls to solve user tasks and \
      provide structured chat responses.

      **Available Tools**
      In your response, you can use the following tools:
      TOOLS
      **Steps for Each Turn**
      1. **Think:** Recall relevant context and analyze the current user goal.
      2. **Decide on Tool Usage:** If a tool is needed, specify the tool and its parameters.
      3. **Respond Appropriately:** If a response is needed, generate one while maintaining consistency across user \
      queries.

      **Output Format**
      ```plaintext
      <think> Your thoughts and reasoning </think>
      <tool_call>
      {"name": "Tool name", "parameters": {"Parameter name": "Parameter content", "... ...": "... ..."}}
      {"name": "... ...", "parameters": {"... ...": "... ...", "... ...": "... ..."}}
      ...
      </tool_call>
      <response> AI's final response </response>
      ```

      **Important Notes**
      1. You must always include the `<think>` field to outline your reasoning. Provide at least one of \
      `<tool_call>` or `<response>`. Decide whether to use `<tool_call>` (possibly multiple times), `<response>`, or \
      both.
      2. You can invoke multiple tool calls simultaneously in the `<tool_call>` fields. Each tool call should be a \
      JSON object with a "name" field and an "parameters" field containing a dictionary of parameters. If no \
      parameters are needed, leave the "parameters" field an empty dictionary.
      3. Refer to the previous dialogue records in the history, including the user's queries, previous \
      `<tool_call>`, `<response>`, and any tool feedback noted as `<obs>` (if exists).""";

  static List<Task> read(Path file) throws IOException {
    List<Task> out = new ArrayList<>();
    int index = 0;
    for (JsonNode row : TaskFields.rows(file)) {
      try {
        out.add(task(index, row));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + ", row " + index + ": " + e.getMessage(), e);
      }
      index++;
    }
    return out;
  }

  static Task task(long index, JsonNode row) {
    for (String f : List.of("instruction", "input", "output")) {
      if (!row.path(f).isTextual()) {
        throw new IllegalArgumentException("no \"" + f + "\" string");
      }
    }
    goldCalls(row.get("output").asText()); // fails now on an unreadable gold
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put(TaskFields.FORMAT, FORMAT);
    fields.put(TaskFields.CATEGORY, FORMAT);
    fields.put("instruction", row.get("instruction").asText());
    fields.put("input", row.get("input").asText());
    fields.put("output", row.get("output").asText());
    fields.put(TaskFields.GOLD_CALLS, row.get("output").asText());
    return new Task("toolrl/" + index, index, fields);
  }

  /** The tools listed in an instruction. */
  static List<ToolSpec> tools(String instruction) {
    List<ToolSpec> out = new ArrayList<>();
    Matcher m = TOOL.matcher(instruction);
    while (m.find()) {
      Optional<JsonNode> params = StrictJson.tryParse(m.group(3));
      out.add(ParamTypes.spec(m.group(1), m.group(2), params.orElse(F.objectNode()), false));
    }
    return out;
  }

  /**
   * The gold calls of an output: the JSON lines of its first {@code <tool_call>} block (ToolRL reads only the
   * first), each {@code {"name", "parameters"}}; empty when there is no block.
   */
  static List<Intent.Call> goldCalls(String output) {
    int open = output.indexOf("<tool_call>");
    if (open < 0) {
      return List.of();
    }
    int close = output.indexOf("</tool_call>", open);
    if (close < 0) {
      throw new IllegalArgumentException("the output's <tool_call> is not closed");
    }
    List<Intent.Call> out = new ArrayList<>();
    for (String line : output.substring(open + "<tool_call>".length(), close).strip().split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode call = StrictJson.parse(line.strip());
      JsonNode args = call.has("parameters") ? call.get("parameters") : call.path("arguments");
      out.add(new Intent.Call(call.path("name").asText(), args.isObject() ? (ObjectNode) args : F.objectNode()));
    }
    return out;
  }

  static Scenario.SingleTurn scenario(Task task) {
    String instruction = TaskFields.require(task, "instruction");
    List<ToolSpec> tools = tools(instruction);
    List<FunctionDoc> docs = tools.stream().map(FunctionDoc::fromSpec).toList();
    List<Intent.Call> gold = goldCalls(TaskFields.require(task, "output"));
    List<BfclChecker.PossibleCall> possible = new ArrayList<>();
    for (Intent.Call c : gold) {
      Map<String, List<JsonNode>> params = new LinkedHashMap<>();
      c.arguments().properties().forEach(e -> params.put(e.getKey(), List.of(e.getValue())));
      possible.add(new BfclChecker.PossibleCall(c.name(), params));
    }
    List<Message> prompt = List.of(Message.system(instruction), Message.user(TaskFields.require(task, "input")));
    return new Scenario.SingleTurn(FORMAT, FORMAT, prompt, tools, docs, possible, gold);
  }

  /** ToolRL's tool list for an instruction: {@code N. Name: ...\nDescription: ...\nParameters: {...}}. */
  static String toolList(List<ToolSpec> tools) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < tools.size(); i++) {
      ToolSpec t = tools.get(i);
      ObjectNode params = ParamTypes.flat(t);
      params.properties().forEach(e -> ((ObjectNode) e.getValue()).put("type",
          e.getValue().path("type").asText().replace(", optional", "")));
      sb.append(i + 1).append(". Name: ").append(t.name()).append('\n')
          .append("Description: ").append(t.description()).append('\n')
          .append("Parameters: ").append(StrictJson.canonical(params)).append('\n');
    }
    return sb.toString();
  }

  /** A ToolRL row: the instruction listing {@code tools}, the user's request, and the gold output. */
  static ObjectNode row(String request, List<ToolSpec> tools, List<Intent.Call> gold) {
    ObjectNode row = F.objectNode();
    row.put("instruction", INSTRUCTION.replace("TOOLS", toolList(tools)));
    row.put("input", "**Dialogue Records History**\n<user> " + request + " </user>");
    StringBuilder out = new StringBuilder("<think> I should ");
    if (gold.isEmpty()) {
      out.append("tell the user that none of my tools can do this. </think>\n<response> Sorry, none of my tools can "
          + "help with that. </response>");
    } else {
      out.append("call the tools that do what the user asks. </think>\n<tool_call>\n");
      for (Intent.Call c : gold) {
        ObjectNode o = F.objectNode();
        o.put("name", c.name());
        o.set("parameters", c.arguments());
        out.append(StrictJson.canonical(o)).append('\n');
      }
      out.append("</tool_call>");
    }
    row.put("output", out.toString());
    return row;
  }
}
