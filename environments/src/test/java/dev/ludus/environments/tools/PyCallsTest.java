package dev.ludus.environments.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.tools.StrictJson;
import dev.ludus.environments.tools.sandbox.Intent;
import java.math.BigDecimal;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Combinators;
import org.junit.jupiter.api.Test;

class PyCallsTest {
  @Test
  void readsBfclGroundTruthStrings() {
    Intent.Call c = PyCalls.parse("cd(folder='document')");
    assertEquals("cd", c.name());
    assertEquals("{\"folder\":\"document\"}", c.argumentsJson());
    Intent.Call o = PyCalls.parse("place_order(order_type=\"buy\", symbol='ORB', amount=10, price=12.5, "
        + "tags=['a', \"b\"], meta={'x': True, 'y': None})");
    assertTrue(StrictJson.equal(StrictJson.parse("{\"order_type\":\"buy\",\"symbol\":\"ORB\",\"amount\":10,"
        + "\"price\":12.5,\"tags\":[\"a\",\"b\"],\"meta\":{\"x\":true,\"y\":null}}"), o.arguments()), o.toString());
    assertEquals("{}", PyCalls.parse("ls()").argumentsJson());
  }

  @Test
  void refusesAnythingButKeywordLiterals() {
    for (String bad : List.of("cd('x')", "cd(folder=x)", "cd(folder=1+1)", "cd(folder='x'", "cd(folder='x') and y",
        "__import__('os')")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PyCalls.parse(bad), bad);
      assertTrue(e.getMessage().contains("expected"), e.getMessage());
    }
  }

  @Provide
  Arbitrary<Intent.Call> calls() {
    Arbitrary<String> names = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8);
    Arbitrary<String> texts = Arbitraries.strings().withChars("ab 'c\"\\\n,()=[]{}").ofMaxLength(12);
    Arbitrary<Long> ints = Arbitraries.longs().between(-1_000_000, 1_000_000);
    Arbitrary<BigDecimal> decimals = Arbitraries.bigDecimals().between(BigDecimal.valueOf(-1000), BigDecimal.valueOf(1000))
        .ofScale(3);
    return Combinators.combine(names, texts, ints, decimals, Arbitraries.of(true, false)).as((n, t, i, d, b) -> {
      ObjectNode args = JsonNodeFactory.instance.objectNode();
      args.put("text", t).put("count", i).put("amount", d).put("flag", b);
      args.putArray("list").add(t).add(i);
      return new Intent.Call(n, args);
    });
  }

  @Property(tries = 200)
  void renderedCallsParseBackToTheSameValues(@ForAll("calls") Intent.Call call) {
    Intent.Call back = PyCalls.parse(PyCalls.render(call));
    assertEquals(call.name(), back.name());
    assertTrue(StrictJson.equal(call.arguments(), back.arguments()), PyCalls.render(call) + " -> " + back);
  }
}
