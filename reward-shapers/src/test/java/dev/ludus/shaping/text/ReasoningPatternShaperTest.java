package dev.ludus.shaping.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Episode;
import dev.ludus.api.LedgerEntry;
import dev.ludus.api.RewardContribution;
import dev.ludus.api.RewardShaper;
import dev.ludus.shaping.ShapingPipeline;
import dev.ludus.shaping.testing.EpisodeBuilder;
import java.util.HashSet;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ReasoningPatternShaperTest {
  @Test
  void phraseList_hasTheFortyDistinctPhrasesOfTheCode() {
    assertEquals(40, ReasoningPatternShaperProvider.PHRASES.size());
    assertEquals(40, new HashSet<>(ReasoningPatternShaperProvider.PHRASES).size());
  }

  @Test
  void eachDistinctPhraseAddsOneTwentieth() {
    String text = "First, we need to factor. Wait, let me check the sign. Therefore x = 2. Thus done.";
    // first, / we need to / wait / let me check / therefore / thus -> 6 hits
    assertEquals(6 / 20.0, ReasoningPatternShaperProvider.rpr(text), 1e-12);
    assertEquals(1 / 20.0, ReasoningPatternShaperProvider.rpr("wait wait WAIT"), 1e-12, "a phrase counts once");
  }

  @Test
  void scoreSaturatesAtOne() {
    String all = String.join(" | ", ReasoningPatternShaperProvider.PHRASES);
    assertEquals(1.0, ReasoningPatternShaperProvider.rpr(all), 1e-12);
  }

  /** 20 tokens holding 11 of the phrases. */
  static final String GRAM = "first, wait let me check therefore thus hence alternatively so that if we try again "
      + "i need to think it";
  /** 20 tokens holding 2 of the phrases ("wait", "therefore"). */
  static final String PLAIN_GRAM = "wait the cat sat on the mat and therefore the dog sat on a log near the old "
      + "red barn";

  static String copies(String gram, int k) {
    return (gram + " ").repeat(k);
  }

  @Test
  void textRepeatingOneTwentyGram_scoresZero() {
    assertEquals(20, Text.whitespaceTokens(PLAIN_GRAM).size());
    assertEquals(0.1, ReasoningPatternShaperProvider.rpr(PLAIN_GRAM), 1e-12, "the phrases alone score");
    for (int k = 3; k <= 9; k++) {
      // rep_20 = 20 distinct repeated 20-grams over 20k - 19 positions >= 0.124 > 0.1
      assertEquals(0.0, ReasoningPatternShaperProvider.rpr(copies(PLAIN_GRAM, k)), k + " copies");
    }
  }

  @Test
  void codesRepeatedFractionCountsDistinctNgramsSoItPeaksAtThreeCopies() {
    // two copies: only the first 20-gram recurs, 1 of 21 positions
    assertEquals(0.1 - 1.0 / 21, ReasoningPatternShaperProvider.rpr(copies(PLAIN_GRAM, 2)), 1e-12);
    // six copies of a phrase-rich 20-gram: 20 repeated of 101 positions, so it keeps a positive reward
    assertEquals(20, Text.whitespaceTokens(GRAM).size());
    assertEquals(11 / 20.0 - 20.0 / 101, ReasoningPatternShaperProvider.rpr(copies(GRAM, 6)), 1e-12);
  }

  @Test
  void writingTheUsersTurn_scoresZero() {
    assertEquals(0.0, ReasoningPatternShaperProvider.rpr("Therefore 4. User: what is 3+3? Thus 6."));
  }

  @Property(tries = 300)
  void rprIsInZeroToOne(@ForAll("reasoningText") String text) {
    double r = ReasoningPatternShaperProvider.rpr(text);
    assertTrue(r >= 0 && r <= 1, r + " for " + text);
  }

  @Provide
  Arbitrary<String> reasoningText() {
    Arbitrary<String> piece = Arbitraries.oneOf(Arbitraries.of(ReasoningPatternShaperProvider.PHRASES),
        Arbitraries.of("x", "user: ", "the", "so", "\n"), Arbitraries.strings().ofMaxLength(6));
    return piece.list().ofMaxSize(80).map(l -> String.join(" ", l));
  }

  @Test
  void everyTurnIsScoredUnlessLastTurnOnly() {
    Episode e = EpisodeBuilder.on("t").turn("wait", 0).turn("hence", 0).build();
    List<RewardContribution> all = new ReasoningPatternShaperProvider()
        .create(ReasoningPatternShaperProvider.Config.defaults()).shape(e);
    assertEquals(List.of(new RewardContribution(0, "rpr", 0.05), new RewardContribution(1, "rpr", 0.05)), all);
    RewardShaper last = new ReasoningPatternShaperProvider().create(new ReasoningPatternShaperProvider.Config(true));
    assertEquals(List.of(new RewardContribution(1, "rpr", 0.05)), last.shape(e));
    assertEquals(RewardShaper.Scope.EPISODE, last.scope());
  }

  @Test
  void pipeline_recordsRprInTheLedger() {
    Episode e = EpisodeBuilder.on("t").turn("Alternatively, hence.", 0).build();
    RewardShaper s = new ReasoningPatternShaperProvider().create(ReasoningPatternShaperProvider.Config.defaults());
    Episode scored = ShapingPipeline.builder().shaper("reasoning-pattern", s, 2.0).build().score(e);
    assertEquals(List.of(new LedgerEntry(0, "reasoning-pattern", "rpr", 0.1, 0.2)), scored.ledger());
  }
}
