package dev.ludus.api.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.ToolCall;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonFormatTest {
  private static final ToolCallParser JSON = ToolCallParser.of("json");

  private static ParseResult.Calls calls(String text) {
    return assertInstanceOf(ParseResult.Calls.class, JSON.parse(text));
  }

  private static ParseResult.Failure failure(String text) {
    return assertInstanceOf(ParseResult.Failure.class, JSON.parse(text));
  }

  @Test
  void aMessageThatIsACallObjectIsOneCall() {
    String text = "\n{\"name\": \"weather\", \"arguments\": {\"city\": \"Oslo\"}}\n";
    ParseResult.Calls r = calls(text);
    assertEquals(List.of(new ParsedCall("weather", "{\"city\":\"Oslo\"}", 1, text.length() - 1)), r.calls());
    assertEquals("", r.content());
    assertEquals(List.of(), r.warnings());
  }

  @Test
  void aMessageThatIsAnArrayOfCallsIsSeveralCalls() {
    ParseResult.Calls r = calls("[{\"name\": \"a\", \"arguments\": {\"x\": 1}}, {\"name\": \"b\", \"parameters\": {}}]");
    assertEquals(List.of(ToolCall.of("call_0", "a", "{\"x\":1}"), ToolCall.of("call_1", "b", "{}")), r.toolCalls());
  }

  @Test
  void aJsonCodeFenceHoldsTheCallsAndTheRestIsContentWithAWarning() {
    String text = "Let me search.\n```json\n{\"name\": \"search\", \"arguments\": {\"q\": \"x\"}}\n```\nDone.";
    ParseResult.Calls r = calls(text);
    int fence = text.indexOf("```");
    assertEquals(List.of(new ParsedCall("search", "{\"q\":\"x\"}", fence, text.lastIndexOf("```") + 3)), r.calls());
    assertEquals("Let me search.\n\nDone.", r.content());
    assertEquals(1, r.warnings().size());
    assertTrue(r.warnings().get(0).contains("code fence at offset " + fence), r.warnings().get(0));
  }

  @Test
  void fencesInOtherLanguagesAreContent() {
    String text = "Example:\n```python\nprint({'a': 1})\n```";
    assertEquals(new ParseResult.NoCalls(text), JSON.parse(text));
  }

  @Test
  void anUnlabelledFenceStartingWithJsonIsRead() {
    ParseResult.Calls r = calls("Calling:\n```\n[{\"name\": \"a\"}]\n```");
    assertEquals("a", r.calls().get(0).name());
    assertEquals("Calling:", r.content());
  }

  @Test
  void trailingCommasAreForgivenWithAWarning() {
    ParseResult.Calls r = calls("{\"name\": \"a\", \"arguments\": {\"x\": 1,},}");
    assertEquals("{\"x\":1}", r.calls().get(0).arguments());
    assertTrue(r.warnings().get(0).contains("trailing commas"), r.warnings().get(0));
  }

  @Test
  void argumentsGivenAsAStringHoldingJsonAreRead() {
    ParseResult.Calls r = calls("{\"name\": \"a\", \"arguments\": \"{\\\"x\\\": [true, null]}\"}");
    assertEquals("{\"x\":[true,null]}", r.calls().get(0).arguments());
  }

  @Test
  void invalidJsonIsReportedWithTheOffset() {
    String text = "  {\"name\": \"a\" \"arguments\": {}}";
    ParseResult.Failure f = failure(text);
    assertEquals(ParseResult.Kind.INVALID_JSON, f.kind());
    assertEquals(text.indexOf("\"arguments\""), f.offset());
  }

  @Test
  void invalidJsonInAFenceIsReportedAtItsOffsetInTheMessage() {
    String text = "Here:\n```json\n{\"name\": \"a\", \"arguments\": {\"x\": tru}}\n```";
    ParseResult.Failure f = failure(text);
    assertEquals(ParseResult.Kind.INVALID_JSON, f.kind());
    assertTrue(f.offset() >= text.indexOf("tru") && f.offset() <= text.indexOf("tru}") + 3, "offset " + f.offset());
  }

  @Test
  void anObjectWithoutANameIsMissingName() {
    ParseResult.Failure f = failure("{\"answer\": 42}");
    assertEquals(ParseResult.Kind.MISSING_NAME, f.kind());
    assertEquals(0, f.offset());
  }

  @Test
  void anArrayOfNonObjectsIsNotAnObject() {
    ParseResult.Failure f = failure("[{\"name\": \"a\"}, 7]");
    assertEquals(ParseResult.Kind.NOT_AN_OBJECT, f.kind());
    assertEquals(16, f.offset());
  }

  @Test
  void anEmptyArrayIsEmptyBlock() {
    assertEquals(ParseResult.Kind.EMPTY_BLOCK, failure(" [ ] ").kind());
  }

  @Test
  void anUnclosedFenceWithATruncatedCallIsUnclosedFence() {
    ParseResult.Failure f = failure("Sure.\n```json\n{\"name\": \"a\", \"argu");
    assertEquals(ParseResult.Kind.UNCLOSED_FENCE, f.kind());
    assertEquals(6, f.offset());
  }

  @Test
  void proseIsNoCalls() {
    assertEquals(new ParseResult.NoCalls("The answer is {x}."), JSON.parse("The answer is {x}.\n"));
    assertEquals(new ParseResult.NoCalls(""), JSON.parse("   "));
  }

  @Test
  void hermesTagsAreNotTheJsonFormat() {
    assertInstanceOf(ParseResult.NoCalls.class, JSON.parse("<tool_call>{\"name\": \"a\"}</tool_call>"));
  }
}
