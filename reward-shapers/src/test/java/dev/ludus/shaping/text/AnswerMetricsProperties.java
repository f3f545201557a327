package dev.ludus.shaping.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class AnswerMetricsProperties {

  @Property(tries = 300)
  void f1IsSymmetricAndInZeroToOne(@ForAll("answers") String a, @ForAll("answers") String b) {
    double f = AnswerMetrics.f1(a, b);
    assertTrue(f >= 0 && f <= 1, "f1 " + f);
    assertEquals(f, AnswerMetrics.f1(b, a), 1e-12);
    double s = AnswerMetrics.setF1(a, b);
    assertTrue(s >= 0 && s <= 1, "set f1 " + s);
    assertEquals(s, AnswerMetrics.setF1(b, a), 1e-12);
  }

  @Property(tries = 300)
  void anAnswerMatchesItselfFullyUnlessNothingSurvivesNormalization(@ForAll("answers") String a) {
    boolean empty = AnswerMetrics.normalize(a).isEmpty();
    assertEquals(1.0, AnswerMetrics.exact(a, a));
    assertEquals(empty ? 0.0 : 1.0, AnswerMetrics.f1(a, a), 1e-12);
  }

  @Property(tries = 300)
  void bleuIsInZeroToOneAndAnExactCopyScoresOne(@ForAll("answers") String hyp,
      @ForAll @Size(min = 1, max = 3) List<@From("answers") String> refs) {
    double b = AnswerMetrics.bleuberi(hyp, refs);
    assertTrue(b >= 0 && b <= 1 + 1e-12, "bleu " + b);
    if (!hyp.isBlank()) {
      assertEquals(1.0, AnswerMetrics.bleuberi(hyp, List.of(hyp)), 1e-9);
    }
  }

  @Provide
  Arbitrary<String> answers() {
    Arbitrary<String> word = Arbitraries.oneOf(Arbitraries.of("the", "a", "Paris", "paris", "New", "York", ",", ".",
        "3.5", "x-y", "!"), Arbitraries.strings().ofMaxLength(5));
    return word.list().ofMaxSize(12).map(l -> String.join(" ", l));
  }
}
