package dev.ludus.shaping.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.LedgerEntry;
import dev.ludus.api.RewardContribution;
import dev.ludus.api.RewardShaper;
import dev.ludus.shaping.ShapingPipeline;
import dev.ludus.shaping.testing.EpisodeBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerMatchShaperTest {
  static RewardShaper shaper(String metric, String extract) {
    return new AnswerMatchShaperProvider().create(new AnswerMatchShaperProvider.Config("answer", "|", metric,
        extract));
  }

  static List<RewardContribution> shape(RewardShaper s, String reference, String... turns) {
    EpisodeBuilder b = EpisodeBuilder.on("q1").field("answer", reference);
    for (String t : turns) {
      b.turn(t, 0);
    }
    return s.shape(b.build());
  }

  @Test
  void exact_normalizesCasePunctuationArticlesAndSpaces() {
    assertEquals(1.0, AnswerMetrics.exact("  The   Eiffel-Tower!", "eiffeltower"));
    assertEquals(0.0, AnswerMetrics.exact("Paris, France", "Paris"));
    assertEquals("eiffel tower", AnswerMetrics.normalize("An  Eiffel, Tower."));
  }

  @Test
  void f1_isSquadsMultisetTokenF1() {
    // pred {barack, obama, obama} vs ref {obama}: common 1, P = 1/3, R = 1 -> 0.5
    assertEquals(0.5, AnswerMetrics.f1("Barack Obama obama", "the Obama"), 1e-12);
    assertEquals(0.0, AnswerMetrics.f1("the", "a"), "nothing left after normalization");
    assertEquals(1.0, AnswerMetrics.f1("Paris.", "paris"));
  }

  @Test
  void igpoF1_usesTokenSetsAndKeepsArticles() {
    // sets {barack, obama} vs {the, obama}: P = R = 1/2
    assertEquals(0.5, AnswerMetrics.setF1("Barack Obama obama", "the Obama"), 1e-12);
    assertEquals(1.0, AnswerMetrics.setF1("new-york", "New York"));
  }

  @Test
  void bleu_exactCopyOfTheReferenceGivesOne() {
    assertEquals(1.0, AnswerMetrics.bleuberi("The cat sat on the mat.", List.of("The cat sat on the mat.")), 1e-12);
    assertEquals(1.0, AnswerMetrics.bleuberi("Yes", List.of("Yes")), 1e-12, "shorter than 4 tokens");
  }

  @Test
  void bleu_matchesTheSmoothedNmtFormulaByHand() {
    List<String> hyp = List.of("the", "cat", "sat", "on", "the", "mat");
    List<String> ref = List.of("the", "cat", "is", "on", "the", "mat");
    // matches/possible per order: 5/6, 3/5, 1/4, 0/3; smoothed (m+1)/(p+1); equal lengths so BP = 1
    double expected = Math.pow((6.0 / 7) * (4.0 / 6) * (2.0 / 5) * (1.0 / 4), 0.25);
    assertEquals(expected, AnswerMetrics.bleu(hyp, List.of(ref), 4, true), 1e-12);
    assertEquals(0.0, AnswerMetrics.bleu(hyp, List.of(ref), 4, false), "unsmoothed 4-gram precision is 0");
  }

  @Test
  void bleu_shortHypothesisPaysTheBrevityPenalty() {
    // every smoothed precision is 1 (2/2, 1/1, and 0 possible n-grams for n = 3, 4); BP = exp(1 - 6/2)
    assertEquals(Math.exp(-2), AnswerMetrics.bleuberi("the cat", List.of("the cat sat on the mat")), 1e-12);
  }

  @Test
  void bleu_scoresAllReferencesTogetherAndEmptyOutputGetsZero() {
    // clipped against the best reference per n-gram, brevity against the shortest reference
    assertEquals(1.0, AnswerMetrics.bleuberi("a b c d", List.of("a b c d e f", "a b c d")), 1e-12);
    assertEquals(0.0, AnswerMetrics.bleuberi("   ", List.of("a")));
  }

  @Test
  void tokenize13a_splitsPunctuationButKeepsNumbersAndHyphenatedWords() {
    assertEquals(List.of("Hello", ",", "world", "!", "3.14", "and", "1,000", "well-known", "5", "-", "3", "$", "5",
        "\"", "q", "\""), AnswerMetrics.tokenize13a("Hello, world! 3.14 and 1,000 well-known 5-3 $5 &quot;q&quot;"));
  }

  @Test
  void onlyTheFinalTurnIsRewardedWithItsLastAnswerBlock() {
    List<RewardContribution> cs = shape(shaper("exact", "answer-tag"), "Paris",
        "<answer>Paris</answer>", "I think <answer>Lyon</answer>, no: <answer>Paris</answer>");
    assertEquals(List.of(new RewardContribution(1, "exact", 1.0)), cs);
  }

  @Test
  void withoutAnAnswerBlockTheWholeMessageIsTheAnswer() {
    assertEquals(1.0, shape(shaper("exact", "answer-tag"), "Paris", "paris.").get(0).value());
    assertEquals(0.0, shape(shaper("exact", "content"), "Paris", "<answer>Paris</answer>").get(0).value());
  }

  @Test
  void severalReferences_scoreTheBestOne() {
    assertEquals(1.0, shape(shaper("exact", "answer-tag"), "NYC | New York City", "new york city").get(0).value());
    assertEquals(1.0, shape(shaper("f1", "answer-tag"), "[\"NYC\", \"Big Apple\"]", "the big apple").get(0).value());
  }

  @Test
  void missingReferenceField_failsTheEpisodeNamingTheField() {
    Episode e = EpisodeBuilder.on("q9").turn("<answer>x</answer>", 0).build();
    Episode scored = ShapingPipeline.builder().shaper("answer-match", shaper("f1", "answer-tag"), 1).build().score(e);
    assertEquals(EpisodeStatus.FAILED, scored.status());
    assertTrue(scored.failure().contains("task 'q9' has no field 'answer'"), scored.failure());
  }

  @Test
  void pipeline_recordsTheMetricOnTheFinalTurn() {
    Episode e = EpisodeBuilder.on("q1").field("answer", "Barack Obama").turn("searching", 0)
        .turn("<answer>Obama</answer>", 0).build();
    RewardShaper s = new AnswerMatchShaperProvider().create(AnswerMatchShaperProvider.Config.defaults());
    Episode scored = ShapingPipeline.builder().shaper("answer-match", s, 1.0).build().score(e);
    double f1 = 2 * 1.0 * 0.5 / 1.5;
    assertEquals(List.of(new LedgerEntry(1, "answer-match", "f1", f1, f1)), scored.ledger());
    assertEquals(RewardShaper.Scope.EPISODE, s.scope());
  }

  @Test
  void config_rejectsBadValuesNamingTheField() {
    assertEquals("metric must be one of exact, f1, igpo-f1, bleu, was 'rouge'", assertThrows(
        IllegalArgumentException.class, () -> new AnswerMatchShaperProvider.Config(null, null, "rouge", null))
        .getMessage());
    assertEquals("extract must be one of answer-tag, content, was 'json'", assertThrows(
        IllegalArgumentException.class, () -> new AnswerMatchShaperProvider.Config(null, null, null, "json"))
        .getMessage());
    assertEquals("separator must not be empty, was ''", assertThrows(IllegalArgumentException.class,
        () -> new AnswerMatchShaperProvider.Config(null, "", null, null)).getMessage());
    assertEquals(AnswerMatchShaperProvider.Config.defaults(), new AnswerMatchShaperProvider.Config(null, null, null,
        null));
  }
}
