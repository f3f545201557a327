package dev.ludus.agents.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ludus.api.Message;
import dev.ludus.api.Role;
import dev.ludus.api.ToolCall;
import dev.ludus.api.ToolSpec;
import dev.ludus.api.tools.ParseResult;
import dev.ludus.api.tools.ToolCallParser;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.arbitraries.ListArbitrary;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ChatTemplateTest {
  private static final ObjectMapper PLAIN = new ObjectMapper();
  static final List<ToolSpec> TOOLS = List.of(
      new ToolSpec("search", "Searches the web", "{\"type\":\"object\",\"properties\":{\"q\":{\"type\":\"string\"}}}"),
      new ToolSpec("open", "Opens a page", "{\"type\":\"object\",\"properties\":{\"url\":{\"type\":\"string\"}}}"));
  private final LmTokenizer tokenizer = DjlLmFixtures.tokenizer();
  private final ChatTemplate hermes = new ChatTemplate(tokenizer);

  @Test
  void withoutToolsOrCallsEveryMessageIsItsMarkerItsTokensAndEos() {
    List<Message> conversation = List.of(Message.system("play a game ."), Message.user("guess a number"),
        Message.assistant("5"), Message.user("higher"));
    IntStream.Builder expected = IntStream.builder();
    expected.add(tokenizer.bosId());
    for (Message m : conversation) {
      expected.add(tokenizer.roleId(m.role()).orElseThrow());
      IntStream.of(tokenizer.encode(m.content())).forEach(expected::add);
      expected.add(tokenizer.eosId());
    }
    expected.add(tokenizer.roleId(Role.ASSISTANT).orElseThrow());
    assertArrayEquals(expected.build().toArray(), hermes.render(conversation));
    assertArrayEquals(hermes.render(conversation), hermes.render(conversation, List.of()));
  }

  @Test
  void toolsAreListedAfterTheSystemMessageInTheFormatsInstructions() {
    List<ChatTemplate.Turn> turns = hermes.turns(List.of(Message.system("Be brief."), Message.user("hi")), TOOLS);
    assertEquals(List.of(new ChatTemplate.Turn(Role.SYSTEM, "Be brief.\n\n" + ToolCallParser.hermes().instructions(TOOLS)),
        new ChatTemplate.Turn(Role.USER, "hi")), turns);
    assertEquals(2, turns.get(0).text().lines().filter(l -> l.startsWith("{\"type\":\"function\"")).count());
  }

  @Test
  void withoutASystemMessageTheToolsOpenTheConversationAsOne() {
    assertEquals(List.of(new ChatTemplate.Turn(Role.SYSTEM, ToolCallParser.hermes().instructions(TOOLS)),
        new ChatTemplate.Turn(Role.USER, "hi")), hermes.turns(List.of(Message.user("hi")), TOOLS));
    assertEquals(List.of(new ChatTemplate.Turn(Role.SYSTEM, ToolCallParser.hermes().instructions(TOOLS))),
        hermes.turns(List.of(), TOOLS));
  }

  @Test
  void callsAndResultsInHistoryAreRenderedAsTheModelIsToldToWriteThem() {
    Message call = Message.assistant("Looking.", List.of(ToolCall.of("c1", "search", "{ \"q\" : \"oslo\" }")));
    List<ChatTemplate.Turn> turns = hermes.turns(List.of(Message.user("hi"), call,
        Message.toolResult("c1", "search", "Oslo is the capital of Norway.")), List.of());
    assertEquals(new ChatTemplate.Turn(Role.ASSISTANT,
        "Looking.\n<tool_call>\n{\"name\":\"search\",\"arguments\":{\"q\":\"oslo\"}}\n</tool_call>"), turns.get(1));
    assertEquals(new ChatTemplate.Turn(Role.TOOL, "Oslo is the capital of Norway."), turns.get(2));
    ChatTemplate json = new ChatTemplate(tokenizer, ToolCallParser.json());
    assertEquals("{\"name\":\"search\",\"arguments\":{\"q\":\"oslo\"}}",
        json.turns(List.of(Message.assistant("", call.toolCalls())), List.of()).get(0).text());
  }

  @Test
  void renderingIsDeterministic() {
    List<Message> c = List.of(Message.system("s"), Message.user("u"),
        Message.assistant("", List.of(ToolCall.of("a", "open", "{\"url\":\"x\",\"b\":[1,2]}"))));
    assertArrayEquals(hermes.render(c, TOOLS), new ChatTemplate(DjlLmFixtures.tokenizer()).render(List.copyOf(c),
        List.copyOf(TOOLS)));
  }

  @Property(tries = 100)
  void theHermesParserReadsBackTheCallsAnAssistantTurnIsRenderedWith(
      @ForAll("calls") @Size(min = 1, max = 3) List<ToolCall> calls, @ForAll("prose") String content) {
    String text = hermes.turns(List.of(Message.assistant(content, calls)), List.of()).get(0).text();
    ParseResult.Calls back = assertInstanceOf(ParseResult.Calls.class, ToolCallParser.hermes().parse(text));
    assertEquals(content.strip(), back.content());
    assertEquals(calls.stream().map(ToolCall::name).toList(), back.calls().stream().map(c -> c.name()).toList());
    for (int i = 0; i < calls.size(); i++) {
      assertEquals(tree(calls.get(i).arguments()), tree(back.calls().get(i).arguments()));
    }
  }

  private static Object tree(String json) {
    try {
      return PLAIN.readTree(json);
    } catch (JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }

  @Provide
  ListArbitrary<ToolCall> calls() {
    Arbitrary<Object> value = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(10).map(s -> (Object) s),
        Arbitraries.integers().map(i -> (Object) i), Arbitraries.of(true, false).map(b -> (Object) b));
    Arbitrary<String> args = Arbitraries.maps(Arbitraries.strings().alpha().ofMaxLength(5), value).ofMaxSize(3)
        .map(ChatTemplateTest::write);
    Arbitrary<String> names = Arbitraries.strings().withCharRange('a', 'z').withChars('_').ofMinLength(1).ofMaxLength(10);
    return Combinators.combine(names, args).as((n, a) -> ToolCall.of("id", n, a)).list();
  }

  @Provide
  Arbitrary<String> prose() {
    return Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(30)
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
