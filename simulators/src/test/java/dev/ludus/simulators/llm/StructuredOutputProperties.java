package dev.ludus.simulators.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

/** Laws of the strict reading of structured replies. */
class StructuredOutputProperties {
  private static final String[] FITS = {"matched", "neutral", "harmful"};

  /** A valid object reads back as itself whatever brace-free prose surrounds it, fenced or not. */
  @Property(tries = 200)
  void aValidObjectInProseReadsBackAsItself(@ForAll @IntRange(min = -100, max = 100) int change,
      @ForAll @IntRange(min = 0, max = 2) int fit, @ForAll @StringLength(max = 40) String analysis,
      @ForAll @StringLength(max = 30) String before, @ForAll @StringLength(max = 30) String after,
      @ForAll boolean fenced) {
    ObjectNode o = LlmTwinUser.JSON.createObjectNode().put("analysis", analysis).put("fit", FITS[fit])
        .put("change", change);
    String prose1 = before.replaceAll("[{}`]", "");
    String prose2 = after.replaceAll("[{}`]", "");
    String reply = fenced ? prose1 + "\n```json\n" + o + "\n```\n" + prose2 : prose1 + o + prose2;
    StructuredOutput.Valid v = assertInstanceOf(StructuredOutput.Valid.class,
        EmotionalSupportLlmUser.ANALYSIS.read(reply));
    assertEquals(o, v.value());
  }

  /** A change outside the schema's range is never accepted. */
  @Property(tries = 100)
  void anOutOfRangeChangeIsRefused(@ForAll @IntRange(min = 101, max = 1_000_000) int excess, @ForAll boolean negative) {
    int change = negative ? -excess : excess;
    assertInstanceOf(StructuredOutput.Invalid.class, EmotionalSupportLlmUser.ANALYSIS.read(
        "{\"analysis\": \"a\", \"fit\": \"matched\", \"change\": " + change + "}"));
  }
}
