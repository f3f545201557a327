package dev.ludus.shaping.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Episode;
import dev.ludus.api.LedgerEntry;
import dev.ludus.api.RewardContribution;
import dev.ludus.api.RewardShaper;
import dev.ludus.shaping.ShapingPipeline;
import dev.ludus.shaping.testing.EpisodeBuilder;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class RepetitionShaperTest {
  static final RepetitionShaperProvider.Config DEFAULTS = RepetitionShaperProvider.Config.defaults();

  static List<RewardContribution> shape(RepetitionShaperProvider.Config c, String... turns) {
    EpisodeBuilder b = EpisodeBuilder.on("t");
    for (String t : turns) {
      b.turn(t, 0);
    }
    return new RepetitionShaperProvider().create(c).shape(b.build());
  }

  static double value(List<RewardContribution> cs, int turn, String component) {
    return ToolCallShaperTest.value(cs, turn, component);
  }

  @Test
  void verbatimRepeatOfAnEarlierAgentSentence_getsMinusTwo() {
    List<RewardContribution> cs = shape(DEFAULTS, "Your donation helps children in need.",
        "Your donation helps children in need.");
    assertEquals(0.0, value(cs, 0, "repeat"));
    assertEquals(-2.0, value(cs, 1, "repeat"));
    assertEquals(0.0, value(cs, 1, "length"));
  }

  @Test
  void oneWordSentence_getsMinusThree() {
    List<RewardContribution> cs = shape(DEFAULTS, "Hello!");
    assertEquals(-3.0, value(cs, 0, "length"));
    assertEquals(0.0, value(cs, 0, "repeat"));
  }

  @Test
  void sentenceOfFiftyWords_getsMinusThreeAndOfFortyNineNothing() {
    assertEquals(-3.0, value(shape(DEFAULTS, "word ".repeat(50).strip() + "."), 0, "length"));
    assertEquals(0.0, value(shape(DEFAULTS, "word ".repeat(49).strip() + "."), 0, "length"));
  }

  @Test
  void overlapIgnoresCaseStopWordsAndPunctuation() {
    // content words {donation, helps, children} vs {donation, helps, children, today}: J = 3/4 >= 0.5
    List<RewardContribution> cs = shape(DEFAULTS, "Your donation helps the children.",
        "A DONATION, today, helps all of the children!");
    assertEquals(-2.0, value(cs, 1, "repeat"));
  }

  @Test
  void differentSentences_areNotRepeats() {
    List<RewardContribution> cs = shape(DEFAULTS, "Your donation helps children in need.",
        "Would you like to hear more about the charity?");
    assertEquals(0.0, value(cs, 1, "repeat"));
  }

  @Test
  void repeatWithinOneTurn_countsAndPenaltiesSumOverSentences() {
    List<RewardContribution> cs = shape(DEFAULTS,
        "The charity builds schools. The charity builds schools. The charity builds schools. Ok.");
    assertEquals(-4.0, value(cs, 0, "repeat"));
    assertEquals(-3.0, value(cs, 0, "length"));
  }

  @Test
  void meanAggregate_dividesByTheTurnsSentences() {
    RepetitionShaperProvider.Config mean = new RepetitionShaperProvider.Config(0.5, -2, -3, 2, 50, 20, "mean");
    List<RewardContribution> cs = shape(mean,
        "The charity builds schools. The charity builds schools. The charity builds schools. Ok.");
    assertEquals(-1.0, value(cs, 0, "repeat"), 1e-12);
    assertEquals(-0.75, value(cs, 0, "length"), 1e-12);
  }

  @Test
  void ngramRepeat_isMinusRprsRepeatedNgramFractionOfTheTurn() {
    RepetitionShaperProvider.Config bigrams = new RepetitionShaperProvider.Config(0.5, -2, -3, 2, 50, 2, "sum");
    // "a b a b a": 2 distinct repeated bigrams of 4 positions
    assertEquals(-0.5, value(shape(bigrams, "a b A b a"), 0, "ngram-repeat"), 1e-12);
    assertEquals(0.0, value(shape(DEFAULTS, "short text"), 0, "ngram-repeat"));
  }

  @Test
  void toolCallBlocksAndTagsAreNotProse() {
    List<RewardContribution> cs = shape(DEFAULTS,
        "<think>I should search for schools.</think><tool_call>{\"name\": \"s\"}</tool_call>",
        "<answer>I should search for schools.</answer>");
    assertEquals(0.0, value(cs, 0, "length"));
    assertEquals(-2.0, value(cs, 1, "repeat"));
  }

  @Property(tries = 200)
  void everyComponentIsAPenaltyAndTheNgramFractionIsAtMostOne(
      @ForAll @Size(min = 1, max = 4) List<@StringLength(max = 120) String> turns) {
    List<RewardContribution> cs = shape(new RepetitionShaperProvider.Config(0.5, -2, -3, 2, 50, 3, "sum"),
        turns.toArray(String[]::new));
    assertEquals(3 * turns.size(), cs.size());
    for (RewardContribution c : cs) {
      assertTrue(c.value() <= 0, c.toString());
      if (c.component().equals("ngram-repeat")) {
        assertTrue(c.value() >= -1, c.toString());
      }
    }
  }

  @Test
  void pipeline_recordsAllThreeComponentsInTheLedger() {
    Episode e = EpisodeBuilder.on("t").turn("We build schools for kids.", 0).turn("We build schools for kids.", 0)
        .build();
    RewardShaper s = new RepetitionShaperProvider().create(DEFAULTS);
    Episode scored = ShapingPipeline.builder().shaper("repetition", s, 1.0).build().score(e);
    assertEquals(List.of(new LedgerEntry(0, "repetition", "repeat", 0.0, 0.0),
        new LedgerEntry(0, "repetition", "length", 0.0, 0.0),
        new LedgerEntry(0, "repetition", "ngram-repeat", 0.0, 0.0),
        new LedgerEntry(1, "repetition", "repeat", -2.0, -2.0),
        new LedgerEntry(1, "repetition", "length", 0.0, 0.0),
        new LedgerEntry(1, "repetition", "ngram-repeat", 0.0, 0.0)), scored.ledger());
  }

  @Test
  void config_rejectsBadValuesNamingTheField() {
    assertEquals("threshold must be in (0, 1], was 1.5", assertThrows(IllegalArgumentException.class,
        () -> new RepetitionShaperProvider.Config(1.5, -2, -3, 2, 50, 20, null)).getMessage());
    assertEquals("repeatPenalty must be a finite number <= 0 (a penalty), was 2.0", assertThrows(
        IllegalArgumentException.class, () -> new RepetitionShaperProvider.Config(0.5, 2, -3, 2, 50, 20, null))
        .getMessage());
    assertEquals("aggregate must be one of sum, mean, was 'max'", assertThrows(IllegalArgumentException.class,
        () -> new RepetitionShaperProvider.Config(0.5, -2, -3, 2, 50, 20, "max")).getMessage());
    assertEquals("longWords must be greater than shortWords (2), was 2", assertThrows(IllegalArgumentException.class,
        () -> new RepetitionShaperProvider.Config(0.5, -2, -3, 2, 2, 20, null)).getMessage());
    assertEquals("ngram must be >= 1, was 0", assertThrows(IllegalArgumentException.class,
        () -> new RepetitionShaperProvider.Config(0.5, -2, -3, 2, 50, 0, null)).getMessage());
  }
}
