package dev.ludus.api.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ludus.api.ToolCall;
import dev.ludus.api.ToolSpec;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.arbitraries.ListArbitrary;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** {@link ToolCallParser#render} is the inverse of {@link ToolCallParser#parse}, in both formats. */
class ToolCallRenderProperties {
  private static final ObjectMapper PLAIN = new ObjectMapper();

  @Property(tries = 150)
  void parsingRenderedCallsGivesTheSameCallsWithCanonicalArguments(
      @ForAll("calls") @Size(min = 1, max = 4) List<ToolCall> calls) {
    for (String format : ToolCallParser.FORMATS) {
      ToolCallParser parser = ToolCallParser.of(format);
      String text = parser.render(calls);
      ParseResult.Calls r = assertInstanceOf(ParseResult.Calls.class, parser.parse(text), format + ": " + text);
      assertEquals(List.of(), r.warnings(), format + ": rendering needs no leniency");
      assertEquals("", r.content());
      List<ToolCall> back = r.toolCalls();
      assertEquals(calls.size(), back.size());
      for (int i = 0; i < calls.size(); i++) {
        assertEquals("call_" + i, back.get(i).id());
        assertEquals(calls.get(i).name(), back.get(i).name());
        assertEquals(CallJson.canonicalObject(calls.get(i).arguments()), back.get(i).arguments());
        assertTrue(StrictJson.equal(StrictJson.parse(calls.get(i).arguments()), StrictJson.parse(back.get(i).arguments())));
      }
      assertEquals(text, parser.render(back), format + ": rendering parsed calls again gives the same text");
    }
  }

  @Property(tries = 100)
  void hermesCallsRenderedAfterProseParseBackWithTheProseAsContent(
      @ForAll("calls") @Size(min = 1, max = 3) List<ToolCall> calls, @ForAll("prose") String prose) {
    String text = prose + "\n" + ToolCallParser.hermes().render(calls);
    ParseResult.Calls r = assertInstanceOf(ParseResult.Calls.class, ToolCallParser.hermes().parse(text));
    assertEquals(prose.strip(), r.content());
    assertEquals(calls.size(), r.calls().size());
  }

  @Test
  void argumentsThatAreNotAnObjectAreRenderedAsAStringAndReadBackAsAFailure() {
    String text = ToolCallParser.hermes().render(List.of(ToolCall.of("c", "f", "{\"x\": ")));
    assertEquals("<tool_call>\n{\"name\":\"f\",\"arguments\":\"{\\\"x\\\": \"}\n</tool_call>", text);
    ParseResult.Failure f = assertInstanceOf(ParseResult.Failure.class, ToolCallParser.hermes().parse(text));
    assertEquals(ParseResult.Kind.ARGUMENTS_NOT_OBJECT, f.kind());
    assertEquals("", ToolCallParser.json().render(List.of()));
  }

  @Test
  void instructionsListEveryToolAsAJsonLineAndSayHowToCallInTheFormat() {
    List<ToolSpec> tools = List.of(
        new ToolSpec("add", "Adds two integers", "{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"integer\"}}}"),
        new ToolSpec("broken", "", "not json"));
    String hermes = ToolCallParser.hermes().instructions(tools);
    assertEquals("""
        # Tools

        You may call one or more of the functions below. Their signatures are inside <tools></tools>:
        <tools>
        {"type":"function","function":{"name":"add","description":"Adds two integers","parameters":{"type":"object","properties":{"a":{"type":"integer"}}}}}
        {"type":"function","function":{"name":"broken","description":"","parameters":"not json"}}
        </tools>

        To call a function, write a JSON object with its name and arguments inside <tool_call></tool_call> tags, one block per call:
        <tool_call>
        {"name": <function-name>, "arguments": <arguments-object>}
        </tool_call>""", hermes);
    String json = ToolCallParser.json().instructions(tools);
    assertTrue(json.startsWith(hermes.substring(0, hermes.indexOf("</tools>"))), json);
    assertTrue(json.endsWith("or a JSON array of such objects."), json);
  }

  @Provide
  ListArbitrary<ToolCall> calls() {
    Arbitrary<String> names = Arbitraries.strings().withCharRange('a', 'z').withChars('_', '-', '.')
        .ofMinLength(1).ofMaxLength(16);
    Arbitrary<Object> scalar = Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(12).map(s -> (Object) s),
        Arbitraries.longs().map(n -> (Object) n),
        Arbitraries.doubles().map(d -> (Object) d),
        Arbitraries.of(true, false).map(b -> (Object) b),
        Arbitraries.just(null));
    Arbitrary<Object> value = Arbitraries.oneOf(scalar, scalar, scalar.list().ofMaxSize(3).map(l -> (Object) l),
        Arbitraries.maps(Arbitraries.strings().alpha().ofMaxLength(4), scalar).ofMaxSize(3).map(m -> (Object) m));
    Arbitrary<String> args = Arbitraries.maps(Arbitraries.strings().ofMaxLength(8), value).ofMaxSize(4)
        .map(ToolCallRenderProperties::write);
    Arbitrary<ToolCall> call = Combinators.combine(names, args).as((n, a) -> ToolCall.of("id-" + n, n, a));
    return call.list();
  }

  @Provide
  Arbitrary<String> prose() {
    return Arbitraries.strings().withCharRange(' ', '~').withChars('\n').ofMaxLength(40)
        .filter(s -> !s.contains("<tool_call>") && !s.contains("</tool_call>"));
  }

  private static String write(Map<String, Object> m) {
    try {
      return PLAIN.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }
}
