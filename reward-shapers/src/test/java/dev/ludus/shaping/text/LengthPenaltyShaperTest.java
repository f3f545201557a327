package dev.ludus.shaping.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ludus.api.Episode;
import dev.ludus.api.LedgerEntry;
import dev.ludus.api.Message;
import dev.ludus.api.RewardContribution;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.Signals;
import dev.ludus.api.TokenTrace;
import dev.ludus.api.ToolCall;
import dev.ludus.api.Turn;
import dev.ludus.shaping.ShapingPipeline;
import dev.ludus.shaping.testing.EpisodeBuilder;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class LengthPenaltyShaperTest {
  static RewardShaper shaper(double lambda, int limit, String unit) {
    return new LengthPenaltyShaperProvider().create(new LengthPenaltyShaperProvider.Config(lambda, limit, unit));
  }

  static double penalty(RewardShaper s, Episode e, int turn) {
    return s.shape(e).stream().filter(c -> c.turn() == turn).findFirst().orElseThrow().value();
  }

  static Episode words(int n) {
    return EpisodeBuilder.on("t").turn("w ".repeat(n), 0).build();
  }

  @Property(tries = 200)
  void penaltyIsZeroUpToTheLimitAndLinearBeyondIt(@ForAll @IntRange(max = 600) int n,
      @ForAll @IntRange(max = 300) int limit, @ForAll @DoubleRange(max = 1) double lambda) {
    double r = penalty(shaper(lambda, limit, "tokens"), words(n), 0);
    assertEquals(n <= limit ? 0.0 : -lambda * (n - limit), r, 1e-9);
  }

  @Test
  void defaults_penaliseOneHundredthPerTokenBeyond256() {
    RewardShaper s = new LengthPenaltyShaperProvider().create(LengthPenaltyShaperProvider.Config.defaults());
    assertEquals(0.0, penalty(s, words(256), 0));
    assertEquals(-0.44, penalty(s, words(300), 0), 1e-12);
  }

  @Test
  void chars_countCodePointsOfTextAndToolCalls() {
    Message m = Message.assistant("héllo", List.of(ToolCall.of("c", "f", "{}")));
    Episode e = EpisodeBuilder.on("t").turn(m, 0, Signals.empty(), List.of()).build();
    assertEquals(-0.5 * (5 + 1 + 2 - 3), penalty(shaper(0.5, 3, "chars"), e, 0), 1e-12);
  }

  @Test
  void modelTokens_useTheTokenTraceAndFallBackToWhitespaceTokens() {
    Episode base = EpisodeBuilder.on("t").turn("one two", 0).turn("one two", 0).build();
    List<Turn> turns = new ArrayList<>(base.turns());
    Turn t0 = turns.get(0);
    turns.set(0, new Turn(0, t0.action(), new TokenTrace(null, new int[10], new float[10], 1), t0.observation(),
        0, false, false, t0.signals(), 0, 0));
    Episode e = new Episode(base.schema(), base.id(), base.env(), base.agent(), base.task(), base.seed(),
        base.status(), null, false, 0, base.start(), base.tools(), base.startSignals(), turns, List.of(), 0, 0);
    RewardShaper s = shaper(1.0, 1, "model-tokens");
    assertEquals(List.of(new RewardContribution(0, "length", -9.0), new RewardContribution(1, "length", -1.0)),
        s.shape(e));
  }

  @Test
  void pipeline_recordsTheLengthComponentInTheLedger() {
    Episode scored = ShapingPipeline.builder().shaper("length-penalty", shaper(0.1, 2, "tokens"), 2.0).build()
        .score(words(5));
    assertEquals(1, scored.ledger().size());
    LedgerEntry entry = scored.ledger().get(0);
    assertEquals("length-penalty", entry.source());
    assertEquals("length", entry.component());
    assertEquals(-0.3, entry.raw(), 1e-12);
    assertEquals(-0.6, entry.value(), 1e-12);
  }

  @Test
  void config_rejectsBadValuesNamingTheField() {
    assertEquals("unit must be one of tokens, chars, model-tokens, was 'bytes'", assertThrows(
        IllegalArgumentException.class, () -> new LengthPenaltyShaperProvider.Config(0.01, 256, "bytes"))
        .getMessage());
    assertEquals("lambda must be a finite number >= 0, was -1.0", assertThrows(IllegalArgumentException.class,
        () -> new LengthPenaltyShaperProvider.Config(-1, 256, null)).getMessage());
    assertEquals("limit must be >= 0, was -5", assertThrows(IllegalArgumentException.class,
        () -> new LengthPenaltyShaperProvider.Config(0.01, -5, null)).getMessage());
  }
}
