package dev.ludus.shaping.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Episode;
import dev.ludus.api.LedgerEntry;
import dev.ludus.api.Message;
import dev.ludus.api.RewardContribution;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.Signals;
import dev.ludus.api.ToolCall;
import dev.ludus.shaping.ShapingPipeline;
import dev.ludus.shaping.testing.EpisodeBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class FormatShaperTest {
  static final FormatShaperProvider.Config DEFAULTS = FormatShaperProvider.Config.defaults();
  static final FormatShaperProvider.Config THINK = new FormatShaperProvider.Config(List.of("answer"), "think", 1.0,
      -2.0, false);

  static boolean wellFormed(FormatShaperProvider.Config c, Message m) {
    return new FormatShaperProvider.FormatShaper(c).wellFormed(m);
  }

  static boolean wellFormed(FormatShaperProvider.Config c, String text) {
    return wellFormed(c, Message.assistant(text));
  }

  @Test
  void messageWithItsAnswerBlock_isWellFormed() {
    assertTrue(wellFormed(DEFAULTS, "The capital is <answer>Paris</answer>."));
    assertTrue(wellFormed(THINK, "  <think>recall</think>\n<answer>Paris</answer>"));
  }

  @Test
  void missingRequiredTag_isMalformed() {
    assertFalse(wellFormed(DEFAULTS, "Paris"));
  }

  @Test
  void unbalancedOrCrossedTags_areMalformed() {
    assertFalse(wellFormed(DEFAULTS, "<answer>Paris"));
    assertFalse(wellFormed(DEFAULTS, "<answer>Paris</answer></answer>"));
    assertFalse(wellFormed(THINK, "<think>a<answer>b</think></answer>"));
    assertFalse(wellFormed(DEFAULTS, "<answer>x</answer><tool_call>{\"name\": \"f\"}"), "unclosed tool_call");
  }

  @Test
  void thinkTag_mustOpenTheMessageExactlyOnce() {
    assertFalse(wellFormed(THINK, "<answer>Paris</answer><think>late</think>"));
    assertFalse(wellFormed(THINK, "<answer>Paris</answer>"));
    assertFalse(wellFormed(THINK, "<think>a</think><think>b</think><answer>Paris</answer>"));
  }

  @Test
  void turnThatCallsATool_needsNoAnswerButReadableCalls() {
    assertTrue(wellFormed(DEFAULTS, Message.assistant("", List.of(ToolCall.of("c", "search", "{\"q\": \"x\"}")))));
    assertTrue(wellFormed(DEFAULTS, "<tool_call>{\"name\": \"search\", \"arguments\": {\"q\": \"x\"}}</tool_call>"));
    assertFalse(wellFormed(DEFAULTS, Message.assistant("", List.of(ToolCall.of("c", "search", "{\"q\": }")))));
    assertFalse(wellFormed(DEFAULTS, Message.assistant("", List.of(ToolCall.of("c", "search", "[1]")))),
        "arguments must be an object");
    assertFalse(wellFormed(DEFAULTS, "<tool_call>{\"arguments\": {}}</tool_call>"), "a call needs a name");
  }

  @Test
  void noRequiredTags_acceptsPlainText() {
    assertTrue(wellFormed(new FormatShaperProvider.Config(List.of(), "", 1, 0, false), "just text"));
  }

  @Test
  void everyTurnIsJudgedUnlessLastTurnOnly() {
    Episode e = EpisodeBuilder.on("t").turn("thinking aloud", 0).turn("<answer>4</answer>", 1).build();
    List<RewardContribution> all = new FormatShaperProvider().create(DEFAULTS).shape(e);
    assertEquals(List.of(new RewardContribution(0, "format", 0.0), new RewardContribution(1, "format", 1.0)), all);
    RewardShaper last = new FormatShaperProvider().create(new FormatShaperProvider.Config(null, null, 1, 0, true));
    assertEquals(List.of(new RewardContribution(1, "format", 1.0)), last.shape(e));
    assertEquals(RewardShaper.Scope.EPISODE, last.scope());
    assertEquals(RewardShaper.Scope.TURN, new FormatShaperProvider().create(DEFAULTS).scope());
  }

  @Test
  void pipeline_recordsTheFormatRewardAndPenaltyInTheLedger() {
    Episode e = EpisodeBuilder.on("t")
        .turn(Message.assistant("<think>a</think><answer>b</answer>"), 0, Signals.empty(), List.of())
        .turn("no tags", 0).build();
    RewardShaper s = new FormatShaperProvider().create(THINK);
    Episode scored = ShapingPipeline.builder().shaper("format", s, 1.0).build().score(e);
    assertEquals(List.of(new LedgerEntry(0, "format", "format", 1.0, 1.0),
        new LedgerEntry(1, "format", "format", -2.0, -2.0)), scored.ledger());
  }

  @Test
  void config_rejectsBadValuesNamingTheField() {
    assertEquals("penalty must be less than reward (1.0), was 1.0", assertThrows(IllegalArgumentException.class,
        () -> new FormatShaperProvider.Config(null, null, 1, 1, false)).getMessage());
    assertEquals("reward must be a finite number, was NaN", assertThrows(IllegalArgumentException.class,
        () -> new FormatShaperProvider.Config(null, null, Double.NaN, 0, false)).getMessage());
    String bad = assertThrows(IllegalArgumentException.class,
        () -> new FormatShaperProvider.Config(List.of("an swer"), null, 1, 0, false)).getMessage();
    assertTrue(bad.startsWith("requiredTags must be a tag name") && bad.endsWith("was 'an swer'"), bad);
    assertThrows(IllegalArgumentException.class,
        () -> new FormatShaperProvider.Config(List.of("tool_call"), null, 1, 0, false));
    assertEquals(DEFAULTS, new FormatShaperProvider.Config(null, null, 1.0, 0.0, false));
  }
}
