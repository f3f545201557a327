package dev.ludus.environments.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * BFCL's AST checker for single-turn function calls (ShishirPatil/gorilla,
 * {@code bfcl_eval/eval_checker/ast_eval/ast_checker.py}, Python branch), rebuilt on JSON values: a binary
 * verdict with the error and BFCL's error type.
 *
 * <p>Per call (BFCL's {@code simple_function_checker}): the function name must match; every {@code required}
 * parameter must be present; no parameter may be one the function or the possible answer does not have; each
 * value must have the parameter's type ({@code float} also takes an integer, as Python converts it; a value of
 * the possible answer's own type counts as a "variable"); strings are compared after BFCL's normalisation
 * (remove spaces and {@code ,./-_*^}, lower-case, {@code '} → {@code "}), as are the strings inside lists and
 * dictionaries; other values must be among the accepted ones; and a parameter of the possible answer that the
 * call leaves out must accept {@code ""} (optional). Categories: {@code parallel} matches calls to possible
 * answers in any order, {@code multiple} checks the one call against the one answer, anything else is
 * {@code simple} (exactly one call).
 *
 * <p>Deviation: values compare as JSON values with Python's equality (1 == 1.0; true == 1), since the model's
 * calls arrive as JSON, not as Python source; BFCL's Java and JavaScript branches are not rebuilt. Stateless.
 */
final class BfclChecker {
  private BfclChecker() {}

  /** A call as the model made it. */
  record ModelCall(String name, ObjectNode arguments) {
    ModelCall {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(arguments, "arguments");
    }
  }

  /** One function's accepted values: BFCL's {@code {"func": {"param": [accepted, ...]}}}. */
  record PossibleCall(String name, Map<String, List<JsonNode>> params) {}

  /** BFCL's verdict: valid, or the first error with its type (e.g. {@code value_error:string}). */
  record Verdict(boolean valid, String error, String errorType) {
    static final Verdict VALID = new Verdict(true, "", "");

    static Verdict invalid(String error, String type) {
      return new Verdict(false, error, type);
    }
  }

  private static final Pattern STANDARDIZE = Pattern.compile("[ ,./\\-_*^]");

  /** BFCL's {@code standardize_string}. */
  static String standardize(String s) {
    return STANDARDIZE.matcher(s).replaceAll("").toLowerCase(Locale.ROOT).replace("'", "\"");
  }

  /** {@code ast_checker}: dispatches on the category as BFCL does. */
  static Verdict check(List<FunctionDoc> functions, List<ModelCall> output, List<PossibleCall> possible,
      String category) {
    if (category.contains("parallel")) {
      return parallelNoOrder(functions, output, possible);
    }
    if (category.contains("multiple")) {
      if (output.size() != possible.size()) {
        return Verdict.invalid("Wrong number of functions.", "multiple_function_checker:wrong_count");
      }
      return simple(find(functions, possible.get(0).name()), output.get(0), possible.get(0));
    }
    if (output.size() != 1 || possible.isEmpty()) {
      return Verdict.invalid("Wrong number of functions.", "simple_function_checker:wrong_count");
    }
    return simple(find(functions, possible.get(0).name()), output.get(0), possible.get(0));
  }

  private static FunctionDoc find(List<FunctionDoc> functions, String name) {
    for (FunctionDoc f : functions) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    return null;
  }

  private static Verdict parallelNoOrder(List<FunctionDoc> functions, List<ModelCall> output,
      List<PossibleCall> possible) {
    if (output.size() != possible.size()) {
      return Verdict.invalid("Wrong number of functions.", "parallel_function_checker_no_order:wrong_count");
    }
    Set<Integer> matched = new HashSet<>();
    for (int i = 0; i < possible.size(); i++) {
      FunctionDoc doc = find(functions, possible.get(i).name());
      boolean found = false;
      for (int j = 0; j < output.size() && !found; j++) {
        if (!matched.contains(j) && simple(doc, output.get(j), possible.get(i)).valid()) {
          matched.add(j);
          found = true;
        }
      }
      if (!found) {
        return Verdict.invalid("Could not find a matching function among index " + remaining(output.size(), matched)
            + " of model output for index " + i + " of possible answers.",
            "parallel_function_checker_no_order:cannot_find_match");
      }
    }
    return Verdict.VALID;
  }

  private static List<Integer> remaining(int n, Set<Integer> matched) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (!matched.contains(i)) {
        out.add(i);
      }
    }
    return out;
  }

  /** {@code simple_function_checker}. */
  static Verdict simple(FunctionDoc doc, ModelCall call, PossibleCall possible) {
    if (doc == null) {
      return Verdict.invalid("Function " + possible.name() + " is not documented.",
          "simple_function_checker:wrong_func_name");
    }
    if (!call.name().equals(doc.name())) {
      return Verdict.invalid("Function name '" + doc.name() + "' not found in model output.",
          "simple_function_checker:wrong_func_name");
    }
    ObjectNode params = call.arguments();
    for (String r : doc.required()) {
      if (!params.has(r)) {
        return Verdict.invalid("Missing required parameter: '" + r + "'.", "simple_function_checker:missing_required");
      }
    }
    for (Map.Entry<String, JsonNode> e : params.properties()) {
      String param = e.getKey();
      JsonNode value = e.getValue();
      FunctionDoc.Param details = doc.params().get(param);
      List<JsonNode> accepted = possible.params().get(param);
      if (details == null || accepted == null) {
        return Verdict.invalid("Unexpected parameter: '" + param + "'.", "simple_function_checker:unexpected_param");
      }
      String type = details.type();
      if (type.equals("float") && kind(value).equals("integer")) {
        value = DecimalNode.valueOf(value.decimalValue()); // Python's int → float
      }
      TypeCheck typed = typeCheck(param, value, accepted, type, details.itemsType());
      if (!typed.verdict().valid()) {
        return typed.verdict();
      }
      if (!typed.variable()) {
        String expected = pythonType(type);
        Verdict v = null;
        if (expected.equals("dict")) {
          v = dictCheck(value, accepted);
        } else if (expected.equals("list") && "dict".equals(pythonType(details.itemsType()))) {
          v = listDictCheck(value, accepted);
        } else if (expected.equals("string")) {
          v = stringCheck(param, value, accepted);
        } else if (expected.equals("list")) {
          v = listCheck(param, value, accepted);
        }
        if (v != null) {
          if (!v.valid()) {
            return v;
          }
          continue;
        }
      }
      if (!contains(accepted, value)) {
        return Verdict.invalid("Invalid value for parameter '" + param + "': " + value + ". Expected one of "
            + accepted + ".", "value_error:others");
      }
    }
    for (Map.Entry<String, List<JsonNode>> e : possible.params().entrySet()) {
      if (!params.has(e.getKey()) && !acceptsOmission(e.getValue())) {
        return Verdict.invalid("Optional parameter '" + e.getKey() + "' not provided and not marked as optional.",
            "simple_function_checker:missing_optional");
      }
    }
    return Verdict.VALID;
  }

  private static boolean acceptsOmission(List<JsonNode> accepted) {
    return accepted.stream().anyMatch(a -> a.isTextual() && a.textValue().isEmpty());
  }

  private record TypeCheck(Verdict verdict, boolean variable) {}

  /** BFCL's {@code type_checker}: one level of nested checking for arrays. */
  private static TypeCheck typeCheck(String param, JsonNode value, List<JsonNode> accepted, String type,
      String itemsType) {
    String expected = pythonType(type);
    String answerType = null;
    for (JsonNode a : accepted) {
      if (!(a.isTextual() && a.textValue().isEmpty())) {
        answerType = kindAsPython(a);
        break;
      }
    }
    boolean variable = answerType != null && !answerType.equals(expected);
    if (kindAsPython(value).equals(expected)) {
      if (itemsType == null || !expected.equals("list")) {
        return new TypeCheck(Verdict.VALID, variable);
      }
      String inner = pythonType(itemsType);
      for (JsonNode a : accepted) {
        boolean ok = true; // as in BFCL, an accepted value that is not a list (the "" of an optional) passes
        if (a.isArray()) {
          String itemAnswerType = null;
          for (JsonNode x : a) {
            if (!(x.isTextual() && x.textValue().isEmpty())) {
              itemAnswerType = kindAsPython(x);
              break;
            }
          }
          for (JsonNode item : value) {
            String k = kindAsPython(item);
            if (!k.equals(inner) && !k.equals(itemAnswerType)) {
              ok = false;
              break;
            }
          }
        }
        if (ok) {
          return new TypeCheck(Verdict.VALID, variable);
        }
      }
      return new TypeCheck(Verdict.invalid("Nested type checking failed for parameter '" + param + "'. Expected outer"
          + " type " + type + " with inner type " + itemsType + ". Parameter value: " + value + ".", "type_error:nested"),
          variable);
    }
    if (answerType != null && kindAsPython(value).equals(answerType)) {
      return new TypeCheck(Verdict.VALID, true);
    }
    return new TypeCheck(Verdict.invalid("Incorrect type for parameter '" + param + "'. Expected type " + type
        + ", got " + kind(value) + ". Parameter value: " + value + ".", "type_error:simple"), false);
  }

  /** The Python type BFCL maps a BFCL type to: {@code any} is {@code str}, {@code tuple} a list. */
  private static String pythonType(String bfclType) {
    if (bfclType == null) {
      return "none";
    }
    return switch (bfclType) {
      case "string", "any" -> "string";
      case "integer" -> "integer";
      case "float" -> "float";
      case "boolean" -> "boolean";
      case "array", "tuple" -> "list";
      case "dict" -> "dict";
      default -> "string";
    };
  }

  /** The JSON value's kind, as Python's json.loads would type it. */
  static String kind(JsonNode v) {
    if (v.isTextual()) {
      return "string";
    }
    if (v.isBoolean()) {
      return "boolean";
    }
    if (v.isIntegralNumber()) {
      return "integer";
    }
    if (v.isNumber()) {
      return "float";
    }
    if (v.isArray()) {
      return "list";
    }
    if (v.isObject()) {
      return "dict";
    }
    return "null";
  }

  private static String kindAsPython(JsonNode v) {
    return kind(v);
  }

  private static Verdict stringCheck(String param, JsonNode value, List<JsonNode> accepted) {
    String got = standardize(value.textValue());
    for (JsonNode a : accepted) {
      if (a.isTextual() && standardize(a.textValue()).equals(got)) {
        return Verdict.VALID;
      }
    }
    return Verdict.invalid("Invalid value for parameter '" + param + "': '" + value.textValue() + "'. Expected one of "
        + accepted + ". Case insensitive.", "value_error:string");
  }

  private static JsonNode standardizedList(JsonNode list) {
    var out = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
    for (JsonNode e : list) {
      out.add(e.isTextual() ? com.fasterxml.jackson.databind.node.TextNode.valueOf(standardize(e.textValue())) : e);
    }
    return out;
  }

  private static Verdict listCheck(String param, JsonNode value, List<JsonNode> accepted) {
    JsonNode got = standardizedList(value);
    for (JsonNode a : accepted) {
      if (a.isArray() && pyEquals(standardizedList(a), got)) {
        return Verdict.VALID;
      }
    }
    return Verdict.invalid("Invalid value for parameter '" + param + "': " + value + ". Expected one of "
        + accepted + ".", "value_error:list/tuple");
  }

  /** BFCL's {@code dict_checker}: a dictionary against accepted dictionaries of accepted values. */
  private static Verdict dictCheck(JsonNode value, List<JsonNode> accepted) {
    Verdict result = Verdict.invalid("", "dict_checker:unclear");
    for (JsonNode answer : accepted) {
      if (answer.isTextual() && answer.textValue().isEmpty()) {
        continue;
      }
      if (!answer.isObject()) {
        continue;
      }
      result = oneDict(value, answer);
      if (result.valid()) {
        return result;
      }
    }
    return result;
  }

  private static Verdict oneDict(JsonNode value, JsonNode answer) {
    for (Map.Entry<String, JsonNode> e : value.properties()) {
      JsonNode options = answer.get(e.getKey());
      if (options == null) {
        return Verdict.invalid("Unexpected dict key parameter: '" + e.getKey() + "'.", "value_error:dict_key");
      }
      JsonNode v = e.getValue().isTextual()
          ? com.fasterxml.jackson.databind.node.TextNode.valueOf(standardize(e.getValue().textValue())) : e.getValue();
      boolean ok = false;
      for (JsonNode o : options.isArray() ? options : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
          .arrayNode().add(options)) {
        JsonNode s = o.isTextual() ? com.fasterxml.jackson.databind.node.TextNode.valueOf(standardize(o.textValue())) : o;
        if (pyEquals(s, v)) {
          ok = true;
          break;
        }
      }
      if (!ok) {
        return Verdict.invalid("Invalid value for parameter '" + e.getKey() + "': " + e.getValue() + ".",
            "value_error:dict_value");
      }
    }
    for (Map.Entry<String, JsonNode> e : answer.properties()) {
      if (!value.has(e.getKey()) && !(e.getValue().isArray() && acceptsOmission(listOf(e.getValue())))) {
        return Verdict.invalid("Missing dict key parameter: '" + e.getKey() + "'.", "value_error:dict_key");
      }
    }
    return Verdict.VALID;
  }

  private static List<JsonNode> listOf(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    return out;
  }

  /** BFCL's {@code list_dict_checker}: dictionaries in order. */
  private static Verdict listDictCheck(JsonNode value, List<JsonNode> accepted) {
    Verdict result = Verdict.invalid("", "list_dict_checker:unclear");
    for (JsonNode answer : accepted) {
      if (!answer.isArray()) {
        continue;
      }
      if (answer.size() != value.size()) {
        result = Verdict.invalid("Wrong number of dictionaries in the list.", "value_error:list_dict_count");
        continue;
      }
      boolean ok = true;
      for (int i = 0; i < value.size() && ok; i++) {
        result = oneDict(value.get(i), answer.get(i));
        ok = result.valid();
      }
      if (ok) {
        return Verdict.VALID;
      }
    }
    return result;
  }

  private static boolean contains(List<JsonNode> accepted, JsonNode value) {
    for (JsonNode a : accepted) {
      if (pyEquals(a, value)) {
        return true;
      }
    }
    return false;
  }

  /** Python's {@code ==} on values read from JSON: numbers (and booleans as 0/1) numerically, containers deeply. */
  static boolean pyEquals(JsonNode a, JsonNode b) {
    if ((a.isNumber() || a.isBoolean()) && (b.isNumber() || b.isBoolean())) {
      return number(a).compareTo(number(b)) == 0;
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!pyEquals(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (a.isObject() && b.isObject()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (Map.Entry<String, JsonNode> e : a.properties()) {
        JsonNode other = b.get(e.getKey());
        if (other == null || !pyEquals(e.getValue(), other)) {
          return false;
        }
      }
      return true;
    }
    return a.getNodeType() == b.getNodeType() && a.equals(b);
  }

  private static BigDecimal number(JsonNode n) {
    return n.isBoolean() ? (n.booleanValue() ? BigDecimal.ONE : BigDecimal.ZERO) : n.decimalValue();
  }
}
