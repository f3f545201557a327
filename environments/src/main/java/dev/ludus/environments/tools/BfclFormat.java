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
import dev.ludus.environments.tools.sandbox.SandboxError;
import dev.ludus.environments.tools.sandbox.Sandboxes;
import dev.ludus.environments.tools.sandbox.World;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * BFCL's files (ShishirPatil/gorilla, {@code berkeley-function-call-leaderboard}): question files of JSON Lines,
 * one entry per line, with the accepted answers in a file of the same name under {@code possible_answer/}.
 *
 * <ul>
 *   <li>Single-turn ({@code BFCL_v3_simple.json}, {@code _multiple}, {@code _parallel},
 *       {@code _parallel_multiple}, {@code _irrelevance}, the {@code live_} ones): {@code {"id", "question":
 *       [[{"role", "content"}]], "function": [{"name", "description", "parameters": {"type": "dict", ...}}]}}, and
 *       {@code {"id", "ground_truth": [{"func": {"param": [accepted, ...]}}]}}; irrelevance has no answers. The
 *       category is the id without its last {@code _n}, as BFCL derives it.
 *   <li>Multi-turn ({@code BFCL_v3_multi_turn_base.json}, {@code _miss_param}): {@code {"id", "question": [[turn 1
 *       messages], [turn 2], ...], "initial_config": {class: state}, "involved_classes": [...]}} and
 *       {@code {"id", "ground_truth": [["cd(folder='x')", ...], ...]}} (Python call strings per turn). The classes
 *       must be Ludus sandboxes ({@code files}, {@code bank}, ...), as {@code ludus data generate} writes them;
 *       BFCL's own Python classes are not rebuilt.
 * </ul>
 *
 * Stateless.
 */
final class BfclFormat {
  private BfclFormat() {}

  static final String FORMAT = "bfcl";
  static final String QUESTION = "question";
  static final String FUNCTION = "function";
  static final String POSSIBLE_ANSWER = "possible_answer";
  static final String INITIAL_CONFIG = "initial_config";
  static final String INVOLVED_CLASSES = "involved_classes";
  static final String GROUND_TRUTH = "ground_truth";

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** The tasks of a question file, or of every {@code BFCL_*.json} question file of a directory (sorted by name). */
  static List<Task> read(Path path) throws IOException {
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(path)) {
      try (Stream<Path> s = Files.list(path)) {
        s.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().startsWith("BFCL_")
            && p.getFileName().toString().endsWith(".json")).sorted()
            .forEach(files::add);
      }
    } else {
      files.add(path);
    }
    List<Task> out = new ArrayList<>();
    for (Path file : files) {
      Map<String, JsonNode> answers = new HashMap<>();
      Path answerFile = file.resolveSibling(POSSIBLE_ANSWER).resolve(file.getFileName());
      if (Files.isRegularFile(answerFile)) {
        for (JsonNode a : TaskFields.rows(answerFile)) {
          answers.put(a.path("id").asText(), a.get(GROUND_TRUTH));
        }
      }
      for (JsonNode row : TaskFields.rows(file)) {
        String id = row.path("id").asText(null);
        if (id == null) {
          throw new IllegalArgumentException(file + ": an entry has no \"id\"");
        }
        try {
          out.add(row.has(INITIAL_CONFIG) ? multiTurnTask(row, answers.get(id)) : singleTurnTask(row, answers.get(id)));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(file + ", entry " + id + ": " + e.getMessage(), e);
        }
      }
    }
    return out;
  }

  /** BFCL's category of an id: the id without its last {@code _part} ({@code simple_12} → {@code simple}). */
  static String category(String id) {
    int i = id.lastIndexOf('_');
    return i < 0 ? id : id.substring(0, i);
  }

  static Task singleTurnTask(JsonNode row, JsonNode groundTruth) {
    String id = row.get("id").asText();
    String category = category(id);
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put(TaskFields.FORMAT, FORMAT);
    fields.put(TaskFields.CATEGORY, category);
    if (!row.path(QUESTION).isArray() || !row.path(FUNCTION).isArray()) {
      throw new IllegalArgumentException("a single-turn entry needs \"question\" and \"function\" arrays");
    }
    fields.put(QUESTION, StrictJson.canonical(row.get(QUESTION)));
    fields.put(FUNCTION, StrictJson.canonical(row.get(FUNCTION)));
    List<Intent.Call> gold = List.of();
    if (groundTruth != null) {
      fields.put(POSSIBLE_ANSWER, StrictJson.canonical(groundTruth));
      gold = PossibleAnswers.gold(PossibleAnswers.read(groundTruth));
    } else if (!category.contains("irrelevance")) {
      throw new IllegalArgumentException("no possible answer (possible_answer/ beside the file)");
    }
    fields.put(TaskFields.GOLD_CALLS, StrictJson.canonical(PossibleAnswers.callsJson(gold)));
    return new Task("bfcl/" + id, Math.abs((long) id.hashCode()), fields);
  }

  static Task multiTurnTask(JsonNode row, JsonNode groundTruth) {
    String id = row.get("id").asText();
    if (groundTruth == null || !groundTruth.isArray()) {
      throw new IllegalArgumentException("no ground truth (possible_answer/ beside the file)");
    }
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put(TaskFields.FORMAT, FORMAT);
    fields.put(TaskFields.CATEGORY, category(id));
    fields.put(QUESTION, StrictJson.canonical(row.path(QUESTION)));
    fields.put(INITIAL_CONFIG, StrictJson.canonical(row.path(INITIAL_CONFIG)));
    fields.put(INVOLVED_CLASSES, StrictJson.canonical(row.path(INVOLVED_CLASSES)));
    fields.put(GROUND_TRUTH, StrictJson.canonical(groundTruth));
    List<Intent.Call> first = new ArrayList<>();
    if (!groundTruth.isEmpty()) {
      for (JsonNode c : groundTruth.get(0)) {
        first.add(PyCalls.parse(c.asText()));
      }
    }
    fields.put(TaskFields.GOLD_CALLS, StrictJson.canonical(PossibleAnswers.callsJson(first)));
    Task task = new Task("bfcl/" + id, Math.abs((long) id.hashCode()), fields);
    multiTurnScenario(task); // fails now on a class that is not a sandbox or a gold call that does not run
    return task;
  }

  /** The scenario of a task read by {@link #read}. */
  static Scenario scenario(Task task, String systemPrompt) {
    return task.fields().containsKey(INITIAL_CONFIG) ? multiTurnScenario(task) : singleTurnScenario(task, systemPrompt);
  }

  private static Scenario.SingleTurn singleTurnScenario(Task task, String systemPrompt) {
    String category = TaskFields.require(task, TaskFields.CATEGORY);
    JsonNode question = TaskFields.json(task, QUESTION);
    JsonNode functions = TaskFields.json(task, FUNCTION);
    List<Message> prompt = new ArrayList<>();
    JsonNode turn = question.path(0);
    if (!systemPrompt.isEmpty() && !turn.path(0).path("role").asText().equals("system")) {
      prompt.add(Message.system(systemPrompt));
    }
    for (JsonNode m : turn) {
      prompt.add(message(m));
    }
    List<ToolSpec> tools = new ArrayList<>();
    List<FunctionDoc> docs = new ArrayList<>();
    for (JsonNode f : functions) {
      tools.add(FunctionDoc.specOfBfcl(f));
      docs.add(FunctionDoc.fromBfcl(f));
    }
    List<BfclChecker.PossibleCall> possible = task.fields().containsKey(POSSIBLE_ANSWER)
        ? PossibleAnswers.read(TaskFields.json(task, POSSIBLE_ANSWER)) : List.of();
    return new Scenario.SingleTurn(FORMAT, category, prompt, tools, docs, possible, PossibleAnswers.gold(possible));
  }

  static Message message(JsonNode m) {
    String role = m.path("role").asText("user");
    String content = m.path("content").asText("");
    return switch (role) {
      case "system" -> Message.system(content);
      case "assistant" -> Message.assistant(content);
      default -> Message.user(content);
    };
  }

  private static Scenario.Executable multiTurnScenario(Task task) {
    JsonNode question = TaskFields.json(task, QUESTION);
    JsonNode classes = TaskFields.json(task, INVOLVED_CLASSES);
    JsonNode config = TaskFields.json(task, INITIAL_CONFIG);
    JsonNode truth = TaskFields.json(task, GROUND_TRUTH);
    ObjectNode involved = F.objectNode();
    List<ToolSpec> tools = new ArrayList<>();
    for (JsonNode c : classes) {
      String name = c.asText();
      if (!Sandboxes.names().contains(name)) {
        throw new IllegalArgumentException("involved class '" + name + "' is not a Ludus sandbox; known: "
            + String.join(", ", Sandboxes.names()));
      }
      involved.set(name, config.has(name) ? config.get(name) : F.objectNode());
      tools.addAll(Sandboxes.tools(name));
    }
    World initial = World.fromJson(involved);
    if (question.size() != truth.size()) {
      throw new IllegalArgumentException(question.size() + " turns of questions but " + truth.size()
          + " of ground truth");
    }
    List<Scenario.PlannedTurn> turns = new ArrayList<>();
    World w = initial;
    for (int i = 0; i < question.size(); i++) {
      List<String> said = new ArrayList<>();
      question.get(i).forEach(m -> said.add(m.path("content").asText()));
      List<Intent.Call> calls = new ArrayList<>();
      List<String> results = new ArrayList<>();
      for (JsonNode c : truth.get(i)) {
        Intent.Call call = PyCalls.parse(c.asText());
        try {
          World.Result r = w.call(call.name(), call.arguments());
          results.add(r.content());
          w = r.world();
        } catch (SandboxError e) {
          throw new IllegalArgumentException("turn " + i + ": the gold call " + c.asText() + " fails: " + e.getMessage());
        }
        calls.add(call);
      }
      turns.add(new Scenario.PlannedTurn(String.join("\n", said), Optional.empty(),
          calls.isEmpty() ? List.of() : List.of(calls), w, results));
    }
    return new Scenario.Executable(TaskFields.require(task, TaskFields.CATEGORY), initial, tools, turns);
  }

  // ---- writing ----

  /** A single-turn question entry. */
  static ObjectNode questionEntry(String id, String request, List<ToolSpec> tools) {
    ObjectNode e = F.objectNode();
    e.put("id", id);
    ArrayNode q = e.putArray(QUESTION).addArray();
    q.addObject().put("role", "user").put("content", request);
    ArrayNode fs = e.putArray(FUNCTION);
    tools.forEach(t -> fs.add(FunctionDoc.bfclFunction(t)));
    return e;
  }

  /** A possible-answer entry. */
  static ObjectNode answerEntry(String id, JsonNode groundTruth) {
    ObjectNode e = F.objectNode();
    e.put("id", id);
    e.set(GROUND_TRUTH, groundTruth);
    return e;
  }

  /** A multi-turn question entry: one BFCL turn per user message. */
  static ObjectNode multiTurnEntry(String id, List<String> userTurns, World initial) {
    ObjectNode e = F.objectNode();
    e.put("id", id);
    ArrayNode q = e.putArray(QUESTION);
    for (String t : userTurns) {
      q.addArray().addObject().put("role", "user").put("content", t);
    }
    e.set(INITIAL_CONFIG, initial.toJson());
    ArrayNode classes = e.putArray(INVOLVED_CLASSES);
    initial.sandboxes().forEach(classes::add);
    return e;
  }
}
