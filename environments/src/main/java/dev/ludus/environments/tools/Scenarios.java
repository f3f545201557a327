package dev.ludus.environments.tools;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.ludus.api.Message;
import dev.ludus.api.Task;
import dev.ludus.api.ToolCall;
import dev.ludus.api.tools.StrictJson;
import dev.ludus.environments.tools.sandbox.Intent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * From a task to its {@link Scenario}, and what a scenario implies: the fields of a generated task, and the
 * oracle's play. Stateless.
 */
final class Scenarios {
  private Scenarios() {}

  /** The default system prompt of generated tasks and of BFCL and xLAM questions. */
  static final String SYSTEM_PROMPT = "You are an assistant that acts by calling tools. Do what the user asks by "
      + "calling the tools offered to you; you will see each call's result. When the request is done, reply to the "
      + "user in plain text without calling a tool: that ends your turn. If the request lacks a detail that a tool "
      + "needs, ask the user for it with a question before calling. If no offered tool can do what is asked, say so "
      + "without calling any tool.";

  /** The text of the oracle's question for a held-back detail. */
  static String ask(Intent.Fact fact) {
    return "Could you tell me the " + fact.name() + "?";
  }

  static final String DONE = "Done.";
  static final String CANNOT = "Sorry, none of my tools can do that.";

  /**
   * The scenario of {@code task}: read from its fields when it has a {@code format} (a dataset row), else
   * generated from its seed among the configuration's categories and sandboxes.
   *
   * @throws IllegalArgumentException when the fields are malformed
   */
  static Scenario of(Task task, FunctionCallingConfig config) {
    String format = task.fields().get(TaskFields.FORMAT);
    if (format == null) {
      return ScenarioGenerator.generate(config.categoriesInPlay(), config.sandboxesInPlay(), task.seed());
    }
    return switch (format) {
      case BfclFormat.FORMAT -> BfclFormat.scenario(task, config.systemPrompt());
      case XlamFormat.FORMAT -> XlamFormat.scenario(task, config.systemPrompt());
      case ToolRlFormat.FORMAT -> ToolRlFormat.scenario(task);
      default -> throw new IllegalArgumentException("task '" + task.id() + "' has format '" + format
          + "'; allowed: bfcl, xlam, toolrl");
    };
  }

  /** The fields of a generated task: its category and the gold for the {@code tool-call} shaper. */
  static Map<String, String> fields(Scenario.Executable s) {
    List<List<Intent.Call>> perTurn = new ArrayList<>();
    for (Message m : oraclePlan(s)) {
      perTurn.add(m.toolCalls().stream().map(c -> new Intent.Call(c.name(),
          StrictJson.tryParseObject(c.arguments()).orElseThrow())).toList());
    }
    ArrayNode all = JsonNodeFactory.instance.arrayNode();
    perTurn.forEach(calls -> all.add(PossibleAnswers.callsJson(calls)));
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put(TaskFields.CATEGORY, s.category());
    fields.put(TaskFields.GOLD_CALLS, StrictJson.canonical(PossibleAnswers.callsJson(perTurn.get(0))));
    fields.put(TaskFields.GOLD_CALLS_PER_TURN, StrictJson.canonical(all));
    return fields;
  }

  /**
   * The oracle's messages for the whole episode: per user turn, a question for its held-back detail, one message
   * per gold step with its calls (native {@code tool_calls}, ids {@code call_<message>_<i>}), then a reply that
   * ends the turn ("Done.", or a refusal when no call was due).
   */
  static List<Message> oraclePlan(Scenario.Executable s) {
    List<Message> out = new ArrayList<>();
    for (Scenario.PlannedTurn t : s.turns()) {
      t.fact().ifPresent(f -> out.add(Message.assistant(ask(f))));
      for (List<Intent.Call> step : t.steps()) {
        out.add(callMessage(step, out.size()));
      }
      out.add(Message.assistant(t.steps().isEmpty() ? CANNOT : DONE));
    }
    return out;
  }

  static Message callMessage(List<Intent.Call> calls, int index) {
    List<ToolCall> tc = new ArrayList<>();
    for (int i = 0; i < calls.size(); i++) {
      tc.add(ToolCall.of("call_" + index + "_" + i, calls.get(i).name(), calls.get(i).argumentsJson()));
    }
    return Message.assistant("", tc);
  }
}
