package dev.ludus.shaping.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.Message;
import dev.ludus.api.RewardContribution;
import dev.ludus.api.RewardShaper;
import java.math.BigDecimal;
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

class ToolCallProperties {
  private static final ObjectMapper PLAIN = new ObjectMapper();
  private final RewardShaper shaper = new ToolCallShaperProvider().create(ToolCallShaperProvider.Config.defaults());

  @Property(tries = 300)
  void correctnessStaysInMinusThreeToThreeAndTheTotalInMinusThreeToFour(
      @ForAll("calls") List<ToolCalls.Call> gold, @ForAll("calls") List<ToolCalls.Call> predicted,
      @ForAll boolean think) {
    double c = ToolRlScore.correctness(gold, predicted);
    assertTrue(c >= -3 && c <= 3, "correctness " + c);
    List<RewardContribution> cs = shaper.shape(ToolCallShaperTest.episode(json(gold), hermes(think, predicted)));
    double total = ToolCallShaperTest.total(cs, 0);
    assertTrue(total >= -3 && total <= 4, "total " + total);
  }

  @Property(tries = 200)
  void theGoldCallsThemselvesGetTheMaximumFour(@ForAll("nonEmptyCalls") List<ToolCalls.Call> gold) {
    List<RewardContribution> cs = shaper.shape(ToolCallShaperTest.episode(json(gold), hermes(true, gold)));
    assertEquals(4.0, ToolCallShaperTest.total(cs, 0));
  }

  @Property(tries = 200)
  void anyPredictionScoresAtMostTheGoldItself(
      @ForAll("nonEmptyCalls") List<ToolCalls.Call> gold, @ForAll("calls") List<ToolCalls.Call> predicted) {
    double c = ToolRlScore.correctness(gold, predicted);
    assertTrue(c <= ToolRlScore.correctness(gold, gold));
  }

  @Property(tries = 200)
  void matchScoreIsSymmetricAndInZeroToOne(@ForAll("names") List<String> a, @ForAll("names") List<String> b) {
    double s = ToolRlScore.matchScore(a, b);
    assertTrue(s >= 0 && s <= 1);
    assertEquals(s, ToolRlScore.matchScore(b, a), 1e-12);
  }

  @Provide
  Arbitrary<List<String>> names() {
    return Arbitraries.of("a", "b", "c").list().ofMaxSize(4);
  }

  @Provide
  Arbitrary<List<ToolCalls.Call>> calls() {
    return call().list().ofMaxSize(3);
  }

  @Provide
  Arbitrary<List<ToolCalls.Call>> nonEmptyCalls() {
    return call().list().ofMinSize(1).ofMaxSize(3);
  }

  private Arbitrary<ToolCalls.Call> call() {
    Arbitrary<Object> values = Arbitraries.oneOf(Arbitraries.of("x", "y").map(v -> (Object) v),
        Arbitraries.integers().between(0, 2).map(i -> (Object) BigDecimal.valueOf(i)));
    Arbitrary<Map<String, Object>> args = Arbitraries.maps(Arbitraries.of("p", "q", "r"), values).ofMaxSize(3);
    return Combinators.combine(Arbitraries.of("search", "open", "click"), args)
        .as((name, a) -> new ToolCalls.Call(name, (ObjectNode) PLAIN.valueToTree(a)));
  }

  static String json(List<ToolCalls.Call> calls) {
    List<Object> out = new ArrayList<>();
    for (ToolCalls.Call c : calls) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", c.name());
      m.put("arguments", c.arguments());
      out.add(m);
    }
    try {
      return PLAIN.writeValueAsString(out);
    } catch (JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }

  static Message hermes(boolean think, List<ToolCalls.Call> calls) {
    StringBuilder sb = new StringBuilder(think ? "<think>plan</think>\n" : "");
    for (ToolCalls.Call c : calls) {
      sb.append("<tool_call>\n").append(json(List.of(c)).replaceAll("^\\[|\\]$", "")).append("\n</tool_call>\n");
    }
    return Message.assistant(sb.toString());
  }
}
