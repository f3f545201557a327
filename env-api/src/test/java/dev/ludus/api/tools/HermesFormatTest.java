package dev.ludus.api.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Message;
import dev.ludus.api.ToolCall;
import java.util.List;
import org.junit.jupiter.api.Test;

class HermesFormatTest {
  private static final ToolCallParser HERMES = ToolCallParser.of("hermes");

  private static ParseResult.Calls calls(String text) {
    return assertInstanceOf(ParseResult.Calls.class, HERMES.parse(text));
  }

  private static ParseResult.Failure failure(String text) {
    return assertInstanceOf(ParseResult.Failure.class, HERMES.parse(text));
  }

  @Test
  void oneBlockIsOneCallWithCanonicalArgumentsAndTheBlockAsItsSpan() {
    String text = "<tool_call>\n{\"name\": \"weather\", \"arguments\": {\"unit\": \"C\", \"city\": \"Oslo\"}}\n</tool_call>";
    ParseResult.Calls r = calls(text);
    assertEquals(List.of(new ParsedCall("weather", "{\"city\":\"Oslo\",\"unit\":\"C\"}", 0, text.length())), r.calls());
    assertEquals("", r.content());
    assertEquals(List.of(), r.warnings());
  }

  @Test
  void severalBlocksAreReadInOrderWithSequentialIds() {
    String text = "<tool_call>{\"name\": \"a\", \"arguments\": {\"x\": 1}}</tool_call>\n"
        + "<tool_call>{\"name\": \"b\", \"arguments\": {}}</tool_call>";
    ParseResult.Calls r = calls(text);
    assertEquals(List.of("a", "b"), r.calls().stream().map(ParsedCall::name).toList());
    assertEquals(List.of(ToolCall.of("call_0", "a", "{\"x\":1}"), ToolCall.of("call_1", "b", "{}")), r.toolCalls());
    int second = text.indexOf("<tool_call>", 1);
    assertEquals(second, r.calls().get(1).start());
    assertEquals(text.length(), r.calls().get(1).end());
  }

  @Test
  void anArrayInOneBlockIsSeveralCallsSharingTheBlockSpan() {
    String text = "<tool_call>[{\"name\": \"a\"}, {\"name\": \"b\", \"arguments\": {\"k\": [1, 2]}}]</tool_call>";
    ParseResult.Calls r = calls(text);
    assertEquals(List.of(new ParsedCall("a", "{}", 0, text.length()),
        new ParsedCall("b", "{\"k\":[1,2]}", 0, text.length())), r.calls());
  }

  @Test
  void textAroundTheBlocksIsKeptAsContent() {
    String text = "  I'll look it up.\n<tool_call>{\"name\": \"search\", \"arguments\": {\"q\": \"jvm\"}}</tool_call>\n"
        + "Then I'll answer.  ";
    ParseResult.Calls r = calls(text);
    assertEquals("I'll look it up.\n\nThen I'll answer.", r.content());
    Message m = r.toMessage();
    assertEquals("I'll look it up.\n\nThen I'll answer.", m.content());
    assertEquals(List.of(ToolCall.of("call_0", "search", "{\"q\":\"jvm\"}")), m.toolCalls());
  }

  @Test
  void textWithoutBlocksIsNoCallsWithTheWholeTextAsContent() {
    assertEquals(new ParseResult.NoCalls("The answer is 42."), HERMES.parse(" The answer is 42.\n"));
    assertEquals(new ParseResult.NoCalls(""), HERMES.parse(""));
  }

  @Test
  void trailingCommasAreForgivenWithAWarningThatSaysWhere() {
    String text = "<tool_call>{\"name\": \"a\", \"arguments\": {\"x\": [1, 2,],},}</tool_call>";
    ParseResult.Calls r = calls(text);
    assertEquals(List.of(new ParsedCall("a", "{\"x\":[1,2]}", 0, text.length())), r.calls());
    assertEquals(1, r.warnings().size());
    assertTrue(r.warnings().get(0).contains("the first at offset " + text.indexOf(",]") + ","), r.warnings().get(0));
  }

  @Test
  void aCodeFenceInsideTheBlockIsStrippedWithAWarning() {
    String text = "<tool_call>\n```json\n{\"name\": \"a\", \"arguments\": {\"x\": 1}}\n```\n</tool_call>";
    ParseResult.Calls r = calls(text);
    assertEquals("{\"x\":1}", r.calls().get(0).arguments());
    assertEquals(1, r.warnings().size());
    assertTrue(r.warnings().get(0).contains("code fence"), r.warnings().get(0));
  }

  @Test
  void anUnclosedFinalBlockHoldingACompleteCallIsReadWithAWarning() {
    String text = "Checking.\n<tool_call>{\"name\": \"a\", \"arguments\": {}}\n";
    ParseResult.Calls r = calls(text);
    assertEquals(List.of(new ParsedCall("a", "{}", 10, text.length())), r.calls());
    assertEquals("Checking.", r.content());
    assertTrue(r.warnings().get(0).contains("not closed"), r.warnings().get(0));
  }

  @Test
  void anUnclosedFinalBlockWithATruncatedCallIsUnclosedTagAtTheOpeningTag() {
    assertEquals(ParseResult.Kind.UNCLOSED_TAG, failure("ok <tool_call>{\"name\": \"a\", \"argu").kind());
    assertEquals(3, failure("ok <tool_call>{\"name\": \"a\", \"argu").offset());
  }

  @Test
  void aBlockThatIsNotClosedBeforeTheNextOneOpensIsUnclosedTag() {
    ParseResult.Failure f = failure("<tool_call>{\"name\": \"a\"}\n<tool_call>{\"name\": \"b\"}</tool_call>");
    assertEquals(ParseResult.Kind.UNCLOSED_TAG, f.kind());
    assertEquals(0, f.offset());
  }

  @Test
  void aStrayClosingTagIsUnmatchedClosingTag() {
    ParseResult.Failure f = failure("done</tool_call>");
    assertEquals(ParseResult.Kind.UNMATCHED_CLOSING_TAG, f.kind());
    assertEquals(4, f.offset());
  }

  @Test
  void invalidJsonIsReportedWithTheOffsetWhereReadingFailed() {
    String text = "Let me see. <tool_call>{\"name\": \"a\", \"arguments\": {\"x\": }}</tool_call>";
    ParseResult.Failure f = failure(text);
    assertEquals(ParseResult.Kind.INVALID_JSON, f.kind());
    assertEquals(text.indexOf("}}"), f.offset());
    assertTrue(f.detail().contains("<tool_call> at offset 12"), f.detail());
  }

  @Test
  void duplicateKeysAreInvalidJson() {
    assertEquals(ParseResult.Kind.INVALID_JSON,
        failure("<tool_call>{\"name\": \"a\", \"name\": \"b\"}</tool_call>").kind());
  }

  @Test
  void anEmptyBlockIsEmptyBlock() {
    ParseResult.Failure f = failure("x <tool_call> \n </tool_call>");
    assertEquals(ParseResult.Kind.EMPTY_BLOCK, f.kind());
    assertEquals(ParseResult.Kind.EMPTY_BLOCK, failure("<tool_call>[]</tool_call>").kind());
  }

  @Test
  void aCallWithoutANameIsMissingNameAtTheCallObject() {
    String text = "<tool_call>[{\"name\": \"a\"}, {\"arguments\": {}}]</tool_call>";
    ParseResult.Failure f = failure(text);
    assertEquals(ParseResult.Kind.MISSING_NAME, f.kind());
    assertEquals(text.indexOf("{\"arguments\""), f.offset());
    assertEquals(ParseResult.Kind.MISSING_NAME, failure("<tool_call>{\"name\": 3}</tool_call>").kind());
    assertEquals(ParseResult.Kind.MISSING_NAME, failure("<tool_call>{\"name\": \" \"}</tool_call>").kind());
  }

  @Test
  void argumentsGivenAsAStringHoldingJsonAreRead() {
    ParseResult.Calls r = calls("<tool_call>{\"name\": \"a\", \"arguments\": \"{\\\"b\\\": 2, \\\"a\\\": 1}\"}</tool_call>");
    assertEquals("{\"a\":1,\"b\":2}", r.calls().get(0).arguments());
    assertEquals(List.of(), r.warnings());
  }

  @Test
  void parametersIsReadAsASynonymOfArguments() {
    ParseResult.Calls r = calls("<tool_call>{\"name\": \"a\", \"parameters\": {\"x\": true}}</tool_call>");
    assertEquals("{\"x\":true}", r.calls().get(0).arguments());
  }

  @Test
  void argumentsThatAreNotAnObjectAreArgumentsNotObject() {
    assertEquals(ParseResult.Kind.ARGUMENTS_NOT_OBJECT,
        failure("<tool_call>{\"name\": \"a\", \"arguments\": [1]}</tool_call>").kind());
    assertEquals(ParseResult.Kind.ARGUMENTS_NOT_OBJECT,
        failure("<tool_call>{\"name\": \"a\", \"arguments\": \"[1]\"}</tool_call>").kind());
    assertEquals(ParseResult.Kind.ARGUMENTS_NOT_OBJECT,
        failure("<tool_call>{\"name\": \"a\", \"arguments\": \"city=Oslo\"}</tool_call>").kind());
  }

  @Test
  void aCallThatIsNotAnObjectIsNotAnObject() {
    ParseResult.Failure f = failure("<tool_call>\"weather\"</tool_call>");
    assertEquals(ParseResult.Kind.NOT_AN_OBJECT, f.kind());
    assertEquals(11, f.offset());
  }

  @Test
  void numbersKeepTheirWrittenPrecision() {
    ParseResult.Calls r = calls("<tool_call>{\"name\": \"a\", \"arguments\": {\"x\": 0.1000000000000000055511151231257827,"
        + " \"n\": 123456789012345678901234567890, \"e\": [2.5E14, 1.50, -0.0, 1e400]}}</tool_call>");
    assertEquals("{\"e\":[2.5E14,1.50,-0.0,1e400],\"n\":123456789012345678901234567890,"
        + "\"x\":0.1000000000000000055511151231257827}", r.calls().get(0).arguments());
  }
}
