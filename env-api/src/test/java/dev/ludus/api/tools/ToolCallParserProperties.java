package dev.ludus.api.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

class ToolCallParserProperties {
  private static final ObjectMapper PLAIN = new ObjectMapper();

  /** A call as a test writes it: a name and an arguments object of plain Java values. */
  record Call(String name, Map<String, Object> arguments) {}

  /** Calls rendered as hermes blocks between two pieces of prose. */
  record Scenario(List<Call> calls, String before, String after) {}

  @Property(tries = 300)
  void renderingCallsAsHermesBlocksAndParsingThemGivesTheSameCalls(@ForAll("scenarios") Scenario s)
      throws JsonProcessingException {
    List<Call> calls = s.calls();
    String before = s.before();
    String after = s.after();
    StringBuilder text = new StringBuilder(before);
    for (Call c : calls) {
      Map<String, Object> obj = new LinkedHashMap<>();
      obj.put("name", c.name());
      obj.put("arguments", c.arguments());
      text.append("<tool_call>\n").append(PLAIN.writeValueAsString(obj)).append("\n</tool_call>\n");
    }
    text.append(after);

    ParseResult.Calls r = assertInstanceOf(ParseResult.Calls.class, ToolCallParser.hermes().parse(text.toString()));
    assertEquals(calls.size(), r.calls().size());
    for (int i = 0; i < calls.size(); i++) {
      ParsedCall parsed = r.calls().get(i);
      assertEquals(calls.get(i).name(), parsed.name());
      assertEquals(PLAIN.readTree(PLAIN.writeValueAsString(calls.get(i).arguments())), PLAIN.readTree(parsed.arguments()));
      assertTrue(text.substring(parsed.start(), parsed.end()).startsWith("<tool_call>"));
      assertEquals("call_" + i, r.toolCalls().get(i).id());
    }
    assertEquals(List.of(), r.warnings());
    assertEquals((before + "\n".repeat(calls.size()) + after).strip(), r.content(), "content is the text outside the blocks");
  }

  @Property(tries = 300)
  void theArgumentsOfEveryParsedCallAreCanonicalJson(@ForAll("calls") @Size(min = 1, max = 3) List<Call> calls)
      throws JsonProcessingException {
    List<Map<String, Object>> array = new ArrayList<>();
    for (Call c : calls) {
      array.add(Map.of("name", c.name(), "parameters", c.arguments()));
    }
    ParseResult.Calls r = assertInstanceOf(ParseResult.Calls.class,
        ToolCallParser.json().parse(PLAIN.writeValueAsString(array)));
    for (ParsedCall p : r.calls()) {
      JsonNode tree = PLAIN.readTree(p.arguments());
      ParseResult.Calls again = assertInstanceOf(ParseResult.Calls.class, ToolCallParser.json().parse(
          "{\"name\":" + PLAIN.writeValueAsString(p.name()) + ",\"arguments\":" + p.arguments() + "}"));
      assertEquals(p.arguments(), again.calls().get(0).arguments(), "canonical text is a fixed point");
      assertTrue(tree.isObject());
    }
  }

  @Property(tries = 1000)
  void parsingNeverThrowsOnArbitraryText(@ForAll("noise") String text) {
    for (String format : ToolCallParser.FORMATS) {
      ParseResult r = ToolCallParser.of(format).parse(text);
      assertNotNull(r);
      if (r instanceof ParseResult.Failure f) {
        assertTrue(f.offset() <= text.length(), "offset " + f.offset() + " beyond the text");
      }
      if (r instanceof ParseResult.Calls c) {
        for (ParsedCall p : c.calls()) {
          assertTrue(p.end() <= text.length());
        }
      }
    }
  }

  @Provide
  ListArbitrary<Call> calls() {
    Arbitrary<String> names = Arbitraries.strings().withCharRange('a', 'z').withChars('_', '-', '.')
        .ofMinLength(1).ofMaxLength(24).filter(s -> !s.isBlank());
    Arbitrary<Call> call = Combinators.combine(names, objects(2)).as(Call::new);
    return call.list();
  }

  private static Arbitrary<Map<String, Object>> objects(int depth) {
    Arbitrary<Object> value = depth == 0 ? scalars() : Arbitraries.oneOf(scalars(), scalars(),
        objects(depth - 1).map(m -> (Object) m), scalars().list().ofMaxSize(4).map(l -> (Object) l));
    return Arbitraries.maps(Arbitraries.strings().ofMaxLength(12), value).ofMaxSize(5);
  }

  private static Arbitrary<Object> scalars() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(20).map(s -> (Object) s),
        Arbitraries.longs().map(n -> (Object) n),
        Arbitraries.doubles().map(d -> (Object) d),
        Arbitraries.of(true, false).map(b -> (Object) b),
        Arbitraries.just(null));
  }

  @Provide
  Arbitrary<Scenario> scenarios() {
    return Combinators.combine(calls().ofMinSize(1).ofMaxSize(4), prose(), prose()).as(Scenario::new);
  }

  private static Arbitrary<String> prose() {
    return Arbitraries.strings().withCharRange(' ', '~').withChars('\n').ofMaxLength(40)
        .filter(s -> !s.contains("<tool_call>") && !s.contains("</tool_call>"));
  }

  /** Arbitrary text, and text made of the pieces the parsers look for, which random strings rarely hit. */
  @Provide
  Arbitrary<String> noise() {
    Arbitrary<String> pieces = Arbitraries.of("<tool_call>", "</tool_call>", "```", "```json\n", "{", "}", "[", "]",
        "\"name\"", "\"arguments\"", "\"parameters\"", ":", ",", "\"a\"", "1", "null", "\"{}\"", " ", "\n", "x",
        "\\", "\"", "1e999", "\uD800");
    Arbitrary<String> structured = pieces.list().ofMaxSize(30).map(l -> String.join("", l));
    return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(200), structured);
  }
}
