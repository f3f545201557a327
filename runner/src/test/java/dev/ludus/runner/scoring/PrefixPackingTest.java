package dev.ludus.runner.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.djl.LanguageModel;
import dev.ludus.agents.djl.LmTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Packing spans by their shared prefixes changes no score: each span's mean log-probability equals the one computed
 * for that span alone, while the packed rows hold fewer tokens than the spans have.
 */
class PrefixPackingTest {
  static LanguageModel model;
  static LmTokenizer tokenizer;

  @BeforeAll
  static void open() {
    tokenizer = LmTokenizer.byteLevelBpe(List.of("guess a number higher lower correct 1 2 3 4 5 6 7 8"), 300);
    model = LanguageModel.create(new LanguageModel.Spec(2, 16, 2, 48, tokenizer.vocabSize()), "cpu", 5);
  }

  @AfterAll
  static void close() {
    model.close();
    tokenizer.close();
  }

  static double alone(SpanScorer.Span s) {
    float[] lp = model.logProbs(s.prompt(), s.output());
    double sum = 0;
    for (float v : lp) {
      sum += v;
    }
    return sum / lp.length;
  }

  static int[] random(Random r, int n) {
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = r.nextInt(tokenizer.vocabSize());
    }
    return out;
  }

  static int[] concat(int[] a, int[] b) {
    int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** An episode's spans as answer-probability makes them: each conversation so far, a probe, the answer. */
  static List<SpanScorer.Span> episodeSpans(Random r, int[] opening, int turns) {
    int[] probe = random(r, 3);
    int[] answer = random(r, 2);
    List<SpanScorer.Span> spans = new ArrayList<>();
    int[] so = opening;
    spans.add(new SpanScorer.Span(concat(so, probe), answer));
    for (int t = 0; t < turns; t++) {
      so = concat(so, random(r, 4));
      spans.add(new SpanScorer.Span(concat(so, probe), answer));
    }
    return spans;
  }

  @Test
  void packedScoresEqualEachSpanScoredAloneAndTheRowsHoldFewerTokens() {
    Random r = new Random(3);
    int[] opening = random(r, 8);
    List<SpanScorer.Span> spans = new ArrayList<>();
    for (int e = 0; e < 4; e++) {
      spans.addAll(episodeSpans(r, opening, 1 + e % 3));
    }
    spans.add(spans.get(2)); // a duplicate
    spans.add(new SpanScorer.Span(random(r, 60), random(r, 3))); // longer than the context: its prompt's end is kept
    SpanScorer scorer = new SpanScorer(model, tokenizer); // not closed: the test owns the model
    {
      long cut0 = ScoringClock.cut();
      List<Double> packed = scorer.meanLogProbs(spans);
      assertTrue(ScoringClock.cut() - cut0 >= 1, "the long span is counted as cut to the context");
      for (int i = 0; i < spans.size() - 1; i++) {
        assertEquals(alone(spans.get(i)), packed.get(i), 1e-4, "span " + i);
      }
      SpanScorer.Span last = spans.get(spans.size() - 1);
      int[] kept = java.util.Arrays.copyOfRange(last.prompt(), last.prompt().length - (48 - 3), last.prompt().length);
      assertEquals(alone(new SpanScorer.Span(kept, last.output())), packed.get(spans.size() - 1), 1e-4);
    }
    List<int[]> sequences = spans.subList(0, spans.size() - 1).stream().map(s -> concat(s.prompt(), s.output()))
        .toList();
    PrefixPacking p = PrefixPacking.pack(sequences, 48);
    assertTrue(p.density(sequences) < 0.75, "shared prefixes are laid out once: density " + p.density(sequences));
    for (int i = 0; i < sequences.size(); i++) {
      for (int j = 0; j < sequences.get(i).length; j++) {
        int cell = p.cells()[i][j];
        assertEquals(sequences.get(i)[j], p.ids()[cell], "token " + j + " of sequence " + i);
        assertEquals(j, p.positions()[cell], "a token's position is its index in its sequence");
      }
    }
  }

  @Test
  void aBatchsCommonOpeningIsComputedOnceAndChangesNoScore() {
    Random r = new Random(7);
    int[] opening = random(r, 12);
    List<SpanScorer.Span> spans = new ArrayList<>();
    for (int e = 0; e < 5; e++) {
      spans.addAll(episodeSpans(r, opening, e % 4));
    }
    SpanScorer scorer = new SpanScorer(model, tokenizer); // not closed: the test owns the model
    List<Double> packed = scorer.meanLogProbs(spans);
    assertEquals(12, scorer.lastSharedPrefix(), "the opening every span shares has its own pass");
    for (int i = 0; i < spans.size(); i++) {
      assertEquals(alone(spans.get(i)), packed.get(i), 1e-4, "span " + i);
    }
    // a span whose prompt ends inside the opening keeps its last prompt token in the rows
    spans.add(new SpanScorer.Span(java.util.Arrays.copyOf(opening, 10), random(r, 2)));
    packed = scorer.meanLogProbs(spans);
    assertEquals(9, scorer.lastSharedPrefix());
    for (int i = 0; i < spans.size(); i++) {
      assertEquals(alone(spans.get(i)), packed.get(i), 1e-4, "span " + i);
    }
  }

  @Test
  void aSpanScoredBeforeComesFromTheMemoWithTheSameScore() {
    SpanScorer scorer = new SpanScorer(model, tokenizer); // not closed: the test owns the model
    List<SpanScorer.Request> requests = List.of(
        new SpanScorer.AssistantSpan(List.of(dev.ludus.api.Message.user("guess a number")), "", "4"),
        new SpanScorer.AssistantSpan(List.of(dev.ludus.api.Message.user("guess a number"),
            dev.ludus.api.Message.assistant("2"), dev.ludus.api.Message.user("higher")), "", "4"));
    List<Double> first = scorer.score(requests);
    assertEquals(2, scorer.computed());
    List<Double> again = scorer.score(List.of(requests.get(1), requests.get(0)));
    assertEquals(2, scorer.computed(), "no forward pass for spans scored before");
    assertEquals(first.get(0), again.get(1));
    assertEquals(first.get(1), again.get(0));
    assertEquals(alone(requests.get(0).ids(scorer)), first.get(0), 1e-4);
  }

  @Test
  void aRowTakesSequencesUntilTheNextWouldPassTheCap() {
    List<int[]> sequences = List.of(new int[] {1, 2, 3, 4}, new int[] {1, 2, 3, 5}, new int[] {7, 8, 9, 9},
        new int[] {1, 2, 6, 6, 6, 6, 6, 6, 6, 6});
    PrefixPacking p = PrefixPacking.pack(sequences, 6);
    // sorted: 1234, 1235, 12666..., 7899: the first two share a row of 5 nodes; the long one goes alone; 7899 fits
    // in neither full row
    assertEquals(3, p.rows());
    assertEquals(p.cells()[0][2], p.cells()[1][2], "the shared prefix is one node");
    assertEquals(10, p.width());
  }
}
