package dev.ludus.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SignalsTest {
  /** As guess-number's FeasibleRange: a record-valued signal. */
  record Interval(int low, int high) {}

  enum Phase { OPENING, ENDGAME }

  static final SignalKey<Interval> RANGE = SignalKey.of("feasible-range", Interval.class);
  static final SignalKey<Phase> PHASE = SignalKey.of("phase", Phase.class);
  static final SignalKey<List<Interval>> HISTORY = SignalKey.listOf("history", Interval.class);
  static final SignalKey<Long> BIG = SignalKey.of("big", Long.class);

  private final ObjectMapper json = new ObjectMapper();

  /**
   * The bug: guess-number's {@code feasible-range} read back from {@code episodes.jsonl} was a LinkedHashMap, and
   * {@code signals.get(FEASIBLE_RANGE)} threw ClassCastException.
   */
  @Test
  void aRecordSignalReadBackFromJsonNoLongerThrowsClassCastExceptionFromItsTypedGetter() throws Exception {
    Signals written = Signals.builder().put(RANGE, new Interval(3, 9)).put(PHASE, Phase.ENDGAME)
        .put(HISTORY, List.of(new Interval(1, 16), new Interval(3, 16))).put(BIG, 7L).build();
    Signals back = json.readValue(json.writeValueAsString(written), Signals.class);
    assertEquals(Map.of("low", 3, "high", 9), back.raw("feasible-range").orElseThrow(), "a plain JSON value on disk");
    assertEquals(new Interval(3, 9), back.get(RANGE).orElseThrow());
    assertEquals(Phase.ENDGAME, back.get(PHASE).orElseThrow());
    assertEquals(List.of(new Interval(1, 16), new Interval(3, 16)), back.get(HISTORY).orElseThrow());
    assertEquals(7L, back.get(BIG).orElseThrow());
  }

  @Test
  void typedConvertsEveryNamedValueOnceAndEqualsWhatWasWritten() throws Exception {
    Signals written = Signals.builder().put(RANGE, new Interval(3, 9)).put(PHASE, Phase.OPENING)
        .put(HISTORY, List.of(new Interval(1, 16))).put(StandardSignals.SUCCESS, true).build();
    Signals back = json.readValue(json.writeValueAsString(written), Signals.class);
    Signals typed = back.typed(List.of(RANGE, PHASE, HISTORY, StandardSignals.SUCCESS));
    assertEquals(written, typed);
    assertSame(typed, typed.typed(List.of(RANGE, PHASE, HISTORY)), "nothing left to convert: the same set");
    assertEquals(Map.of("low", 3, "high", 9), back.typed(List.of(PHASE)).raw("feasible-range").orElseThrow(),
        "a value no key names stays plain");
  }

  @Test
  void aValueThatDoesNotConvertNamesTheSignalItsValueAndTheType() throws Exception {
    Signals back = json.readValue("{\"feasible-range\":{\"low\":\"three\"}}", Signals.class);
    ClassCastException e = assertThrows(ClassCastException.class, () -> back.get(RANGE));
    assertTrue(e.getMessage().startsWith("signal 'feasible-range' holds a map {low=three}, which does not read as a "
        + "Interval: "), e.getMessage());
    Signals typedValue = Signals.of(SignalKey.of("feasible-range", Phase.class), Phase.OPENING);
    ClassCastException other = assertThrows(ClassCastException.class, () -> typedValue.get(RANGE));
    assertEquals("signal 'feasible-range' holds a Phase, not a Interval", other.getMessage());
  }

  @Test
  void aScalarDoesNotPassAsAnotherKindOfScalar() throws Exception {
    Signals back = json.readValue("{\"n\":4,\"s\":\"3\",\"f\":2.5}", Signals.class);
    assertThrows(ClassCastException.class, () -> back.get(SignalKey.of("n", Boolean.class)));
    assertThrows(ClassCastException.class, () -> back.get(SignalKey.of("n", String.class)));
    assertThrows(ClassCastException.class, () -> back.get(SignalKey.of("s", Integer.class)));
    assertThrows(ClassCastException.class, () -> back.get(SignalKey.of("f", Short.class)));
    assertEquals(4.0, back.get(SignalKey.of("n", Double.class)).orElseThrow(), "an integer is a number");
    assertEquals(4.0f, back.get(SignalKey.of("n", Float.class)).orElseThrow());
  }

  @Test
  void aBooleanReadsThroughADoubleKeyAsOneOrZero_andThroughNoOtherNumber() throws Exception {
    Signals back = json.readValue("{\"won\":true,\"lost\":false}", Signals.class);
    assertEquals(1.0, back.get(SignalKey.of("won", Double.class)).orElseThrow());
    assertEquals(0.0, Signals.of(SignalKey.of("lost", Boolean.class), false).get(SignalKey.of("lost", Double.class))
        .orElseThrow());
    assertThrows(ClassCastException.class, () -> back.get(SignalKey.of("won", Integer.class)));
  }

  @Test
  void aKeyReadsAPublishedKeyOfItsNameWhoseValuesItsGetReturns() {
    SignalKey<Double> number = SignalKey.of("n", Double.class);
    assertTrue(number.reads(SignalKey.of("n", Integer.class)), "an integer is a number");
    assertTrue(number.reads(SignalKey.of("n", Boolean.class)), "a flag reads as 1 or 0");
    assertTrue(!number.reads(SignalKey.of("n", String.class)), "a string is not a number");
    assertTrue(!number.reads(SignalKey.of("m", Double.class)), "another name");
    assertTrue(!SignalKey.of("n", Integer.class).reads(SignalKey.of("n", Double.class)), "a fraction is not whole");
    assertTrue(SignalKey.of("n", Object.class).reads(SignalKey.of("n", Phase.class)), "an Object key reads anything");
    assertTrue(SignalKey.of("history", List.class).reads(HISTORY), "an untyped list reads a typed one");
    assertTrue(!HISTORY.reads(SignalKey.of("history", List.class)), "a typed list does not read an untyped one");
    assertTrue(!HISTORY.reads(SignalKey.listOf("history", Phase.class)), "nor a list of another element");
  }

  @Test
  void aListKeyCarriesItsElementTypeAndOnlyAListKeyMay() {
    assertEquals(Interval.class, HISTORY.elementType());
    assertEquals(List.class, HISTORY.type());
    assertEquals(null, RANGE.elementType());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SignalKey<>("x", Integer.class, false, String.class));
    assertTrue(e.getMessage().contains("only a List key has one"), e.getMessage());
  }
}
