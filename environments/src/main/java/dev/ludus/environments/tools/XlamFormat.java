package dev.ludus.environments.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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

/**
 * xLAM / APIGen rows ({@code Salesforce/xlam-function-calling-60k}): {@code {"id", "query", "answers", "tools"}},
 * where {@code answers} is a JSON string (or array) of {@code {"name", "arguments"}} and {@code tools} a JSON string
 * (or array) of {@code {"name", "description", "parameters": {"p": {"type": "str", "description", "default"?}}}};
 * a parameter without a default is required (NeMo's converter's rule). A file is a JSON array of rows or JSON
 * Lines. An answer is checked with BFCL's AST checker, its calls in any order ({@code parallel}), each argument
 * accepting the gold value and each parameter left out of the gold accepting omission. Stateless.
 */
final class XlamFormat {
  private XlamFormat() {}

  static final String FORMAT = "xlam";
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  static List<Task> read(Path file) throws IOException {
    List<Task> out = new ArrayList<>();
    int index = 0;
    for (JsonNode row : TaskFields.rows(file)) {
      String id = row.has("id") ? row.get("id").asText() : Integer.toString(index);
      try {
        out.add(task(id, index, row));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + ", row " + id + ": " + e.getMessage(), e);
      }
      index++;
    }
    return out;
  }

  private static JsonNode embedded(JsonNode row, String field) {
    JsonNode v = row.get(field);
    if (v == null) {
      throw new IllegalArgumentException("no \"" + field + "\"");
    }
    JsonNode parsed = v.isTextual() ? StrictJson.parse(v.asText()) : v;
    if (!parsed.isArray()) {
      throw new IllegalArgumentException("\"" + field + "\" must be a JSON array (or a string holding one)");
    }
    return parsed;
  }

  static Task task(String id, long index, JsonNode row) {
    if (!row.path("query").isTextual()) {
      throw new IllegalArgumentException("no \"query\" string");
    }
    JsonNode answers = embedded(row, "answers");
    JsonNode tools = embedded(row, "tools");
    List<Intent.Call> gold = new ArrayList<>();
    for (JsonNode a : answers) {
      JsonNode args = a.has("arguments") ? a.get("arguments") : a.path("parameters");
      if (args.isTextual()) {
        args = StrictJson.parse(args.asText());
      }
      gold.add(new Intent.Call(a.path("name").asText(), args.isObject() ? (ObjectNode) args : F.objectNode()));
    }
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put(TaskFields.FORMAT, FORMAT);
    fields.put(TaskFields.CATEGORY, "parallel");
    fields.put("query", row.get("query").asText());
    fields.put("tools", StrictJson.canonical(tools));
    fields.put("answers", StrictJson.canonical(answers));
    fields.put(TaskFields.GOLD_CALLS, StrictJson.canonical(PossibleAnswers.callsJson(gold)));
    return new Task("xlam/" + id, index, fields);
  }

  static Scenario.SingleTurn scenario(Task task, String systemPrompt) {
    JsonNode tools = TaskFields.json(task, "tools");
    List<ToolSpec> specs = new ArrayList<>();
    List<FunctionDoc> docs = new ArrayList<>();
    for (JsonNode t : tools) {
      ToolSpec spec = ParamTypes.spec(t.path("name").asText(), t.path("description").asText(""), t.get("parameters"),
          true);
      specs.add(spec);
      docs.add(FunctionDoc.fromSpec(spec));
    }
    List<BfclChecker.PossibleCall> possible = new ArrayList<>();
    List<Intent.Call> gold = new ArrayList<>();
    for (JsonNode a : TaskFields.json(task, "answers")) {
      JsonNode args = a.has("arguments") ? a.get("arguments") : a.path("parameters");
      Intent.Call call = new Intent.Call(a.path("name").asText(), args.isObject() ? (ObjectNode) args : F.objectNode());
      gold.add(call);
      FunctionDoc doc = docs.stream().filter(d -> d.name().equals(call.name())).findFirst()
          .orElse(new FunctionDoc(call.name(), "", Map.of(), List.of()));
      possible.add(PossibleAnswers.of(call, doc));
    }
    List<Message> prompt = new ArrayList<>();
    if (!systemPrompt.isEmpty()) {
      prompt.add(Message.system(systemPrompt));
    }
    prompt.add(Message.user(TaskFields.require(task, "query")));
    return new Scenario.SingleTurn(FORMAT, "parallel", prompt, specs, docs, possible, gold);
  }

  /** An xLAM row. */
  static ObjectNode row(long id, String query, List<Intent.Call> answers, List<ToolSpec> tools) {
    ObjectNode row = F.objectNode();
    row.put("id", id);
    row.put("query", query);
    row.put("answers", StrictJson.canonical(PossibleAnswers.callsJson(answers)));
    ArrayNode ts = F.arrayNode();
    for (ToolSpec t : tools) {
      ObjectNode o = ts.addObject();
      o.put("name", t.name());
      o.put("description", t.description());
      o.set("parameters", ParamTypes.flat(t));
    }
    row.put("tools", StrictJson.canonical(ts));
    return row;
  }
}
