package dev.ludus.environments.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.tools.StrictJson;
import java.util.List;
import org.junit.jupiter.api.Test;

class BfclCheckerTest {
  private static final FunctionDoc DOC = FunctionDoc.fromBfcl(StrictJson.parse("""
      {"name": "find_hotels", "description": "Find hotels.", "parameters": {"type": "dict", "properties": {
        "city": {"type": "string"}, "nights": {"type": "integer"}, "budget": {"type": "float"},
        "amenities": {"type": "array", "items": {"type": "string"}}, "filters": {"type": "dict", "properties": {}},
        "pets": {"type": "boolean"}}, "required": ["city", "nights"]}}"""));

  private static final List<BfclChecker.PossibleCall> ANSWER = PossibleAnswers.read(StrictJson.parse("""
      [{"find_hotels": {"city": ["New York, NY", "NYC"], "nights": [3], "budget": [150.0, ""],
        "amenities": [["wifi", "pool"], ""], "filters": [{"stars": [4, 5]}, ""], "pets": [false, ""]}}]"""));

  private static BfclChecker.Verdict check(String args) {
    return BfclChecker.check(List.of(DOC), List.of(new BfclChecker.ModelCall("find_hotels",
        (ObjectNode) StrictJson.parse(args))), ANSWER, "simple");
  }

  @Test
  void acceptsTheGoldWithNormalisedStringsAndOptionalParametersLeftOut() {
    assertTrue(check("{\"city\": \"new york ny\", \"nights\": 3}").valid());
    assertTrue(check("{\"city\": \"NYC\", \"nights\": 3, \"budget\": 150, \"pets\": false}").valid(),
        "an integer is a float");
    assertTrue(check("{\"city\": \"NYC\", \"nights\": 3, \"amenities\": [\"WiFi\", \"pool\"]}").valid());
    assertTrue(check("{\"city\": \"NYC\", \"nights\": 3, \"filters\": {\"stars\": 5}}").valid());
  }

  @Test
  void refusesWithBfclsErrorTypes() {
    assertEquals("simple_function_checker:missing_required", check("{\"city\": \"NYC\"}").errorType());
    assertEquals("simple_function_checker:unexpected_param",
        check("{\"city\": \"NYC\", \"nights\": 3, \"view\": \"sea\"}").errorType());
    assertEquals("type_error:simple", check("{\"city\": \"NYC\", \"nights\": 3.0}").errorType());
    assertEquals("value_error:string", check("{\"city\": \"Boston\", \"nights\": 3}").errorType());
    assertEquals("value_error:others", check("{\"city\": \"NYC\", \"nights\": 4}").errorType());
    assertEquals("value_error:list/tuple",
        check("{\"city\": \"NYC\", \"nights\": 3, \"amenities\": [\"pool\", \"wifi\"]}").errorType(),
        "lists keep their order");
    assertEquals("value_error:dict_value",
        check("{\"city\": \"NYC\", \"nights\": 3, \"filters\": {\"stars\": 3}}").errorType());
    // as in BFCL, an accepted "" (optional) lets the nested type check pass; without it, it fails
    assertEquals("value_error:list/tuple",
        check("{\"city\": \"NYC\", \"nights\": 3, \"amenities\": [1, 2]}").errorType());
    List<BfclChecker.PossibleCall> required = PossibleAnswers.read(StrictJson.parse(
        "[{\"find_hotels\": {\"city\": [\"NYC\"], \"nights\": [3], \"amenities\": [[\"wifi\"]]}}]"));
    assertEquals("type_error:nested", BfclChecker.check(List.of(DOC), List.of(new BfclChecker.ModelCall("find_hotels",
        (ObjectNode) StrictJson.parse("{\"city\": \"NYC\", \"nights\": 3, \"amenities\": [1]}"))), required,
        "simple").errorType());
  }

  @Test
  void aParameterThePossibleAnswerRequiresMustBeGiven() {
    List<BfclChecker.PossibleCall> strict = PossibleAnswers.read(StrictJson.parse(
        "[{\"find_hotels\": {\"city\": [\"NYC\"], \"nights\": [3], \"pets\": [true]}}]"));
    BfclChecker.Verdict v = BfclChecker.check(List.of(DOC), List.of(new BfclChecker.ModelCall("find_hotels",
        (ObjectNode) StrictJson.parse("{\"city\": \"NYC\", \"nights\": 3}"))), strict, "simple");
    assertEquals("simple_function_checker:missing_optional", v.errorType());
  }

  @Test
  void parallelIgnoresOrderButNotCount_multipleChecksTheOneCall() {
    JsonNode two = StrictJson.parse("[{\"find_hotels\": {\"city\": [\"NYC\"], \"nights\": [3]}},"
        + " {\"find_hotels\": {\"city\": [\"Boston\"], \"nights\": [2]}}]");
    List<BfclChecker.PossibleCall> possible = PossibleAnswers.read(two);
    List<BfclChecker.ModelCall> reversed = List.of(
        new BfclChecker.ModelCall("find_hotels", (ObjectNode) StrictJson.parse("{\"city\": \"boston\", \"nights\": 2}")),
        new BfclChecker.ModelCall("find_hotels", (ObjectNode) StrictJson.parse("{\"city\": \"NYC\", \"nights\": 3}")));
    assertTrue(BfclChecker.check(List.of(DOC), reversed, possible, "parallel").valid());
    assertFalse(BfclChecker.check(List.of(DOC), reversed.subList(0, 1), possible, "parallel").valid());
    assertFalse(BfclChecker.check(List.of(DOC), reversed, possible, "simple").valid());
    assertFalse(BfclChecker.check(List.of(DOC), reversed, ANSWER, "multiple").valid(), "wrong count");
  }

  @Test
  void standardizeIsBfclsNormalisation() {
    assertEquals("april12024", BfclChecker.standardize("April 1, 2024"));
    assertEquals("20240401", BfclChecker.standardize("2024-04-01"));
    assertEquals("\"hi\"", BfclChecker.standardize("'hi'"));
    assertEquals("ab", BfclChecker.standardize("a_*^/.b"));
  }
}
