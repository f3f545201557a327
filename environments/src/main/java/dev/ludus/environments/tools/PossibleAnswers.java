package dev.ludus.environments.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ludus.environments.tools.sandbox.Intent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * BFCL's possible answers ({@code [{"func": {"param": [accepted, ...]}}]}, {@code ""} marking a parameter that may
 * be left out): made from gold calls, read from and written to JSON, and turned back into one gold answer.
 * Stateless.
 */
final class PossibleAnswers {
  private PossibleAnswers() {}

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /**
   * The possible answer of a gold call: each argument it gives accepts that value; each parameter of the
   * function that it leaves out accepts {@code ""} (omission) and, when the parameter has one, its default.
   */
  static BfclChecker.PossibleCall of(Intent.Call gold, FunctionDoc doc) {
    Map<String, List<JsonNode>> params = new LinkedHashMap<>();
    ObjectNode args = gold.arguments();
    for (Map.Entry<String, FunctionDoc.Param> e : doc.params().entrySet()) {
      JsonNode v = args.get(e.getKey());
      JsonNode dflt = e.getValue().defaultValue();
      if (v != null) {
        params.put(e.getKey(), dflt != null && BfclChecker.pyEquals(dflt, v) && !doc.required().contains(e.getKey())
            ? List.of(v, TextNode.valueOf("")) : List.of(v));
      } else {
        List<JsonNode> accepted = new ArrayList<>();
        if (e.getValue().defaultValue() != null) {
          accepted.add(e.getValue().defaultValue());
        }
        accepted.add(TextNode.valueOf(""));
        params.put(e.getKey(), accepted);
      }
    }
    args.properties().forEach(e -> params.putIfAbsent(e.getKey(), List.of(e.getValue())));
    return new BfclChecker.PossibleCall(gold.name(), params);
  }

  /** Reads BFCL's {@code ground_truth}: an array of one-key objects {@code {"func": {"param": [...]}}}. */
  static List<BfclChecker.PossibleCall> read(JsonNode groundTruth) {
    if (!groundTruth.isArray()) {
      throw new IllegalArgumentException("ground_truth must be an array of {\"function\": {\"param\": [values]}}");
    }
    List<BfclChecker.PossibleCall> out = new ArrayList<>();
    for (JsonNode call : groundTruth) {
      if (!call.isObject() || call.size() != 1) {
        throw new IllegalArgumentException("each ground_truth entry must be one {\"function\": {...}}, was " + call);
      }
      Map.Entry<String, JsonNode> fn = call.properties().iterator().next();
      Map<String, List<JsonNode>> params = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> p : fn.getValue().properties()) {
        List<JsonNode> accepted = new ArrayList<>();
        if (p.getValue().isArray()) {
          p.getValue().forEach(accepted::add);
        } else {
          accepted.add(p.getValue());
        }
        params.put(p.getKey(), accepted);
      }
      out.add(new BfclChecker.PossibleCall(fn.getKey(), params));
    }
    return out;
  }

  /** BFCL's {@code ground_truth} JSON of {@code possible}. */
  static ArrayNode write(List<BfclChecker.PossibleCall> possible) {
    ArrayNode out = F.arrayNode();
    for (BfclChecker.PossibleCall p : possible) {
      ObjectNode params = F.objectNode();
      p.params().forEach((k, v) -> params.set(k, F.arrayNode().addAll(v)));
      out.addObject().set(p.name(), params);
    }
    return out;
  }

  /** One correct answer: each parameter's first accepted value, leaving out those that accept only omission. */
  static List<Intent.Call> gold(List<BfclChecker.PossibleCall> possible) {
    List<Intent.Call> out = new ArrayList<>();
    for (BfclChecker.PossibleCall p : possible) {
      ObjectNode args = F.objectNode();
      for (Map.Entry<String, List<JsonNode>> e : p.params().entrySet()) {
        for (JsonNode v : e.getValue()) {
          if (!(v.isTextual() && v.textValue().isEmpty())) {
            args.set(e.getKey(), v);
            break;
          }
        }
      }
      out.add(new Intent.Call(p.name(), args));
    }
    return out;
  }

  /** Gold calls as the {@code tool-call} shaper reads them: {@code [{"name": ..., "arguments": {...}}]}. */
  static ArrayNode callsJson(List<Intent.Call> calls) {
    ArrayNode out = F.arrayNode();
    for (Intent.Call c : calls) {
      ObjectNode o = out.addObject();
      o.put("name", c.name());
      o.set("arguments", c.arguments());
    }
    return out;
  }
}
