package dev.ludus.shaping.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
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

class ToolCallShaperTest {
  static final String GOLD = "[{\"name\": \"search\", \"arguments\": {\"q\": \"paris\", \"n\": 3}}]";

  static RewardShaper shaper() {
    return new ToolCallShaperProvider().create(ToolCallShaperProvider.Config.defaults());
  }

  static Episode episode(String gold, Message... actions) {
    EpisodeBuilder b = EpisodeBuilder.on("t").field("gold_calls", gold);
    for (Message m : actions) {
      b.turn(m, 0.0, Signals.empty(), List.of(Message.user("ok")));
    }
    return b.build();
  }

  /** A message that thinks, then calls {@code name} with {@code args} as a structured tool call. */
  static Message structured(String name, String args) {
    return Message.assistant("<think>x</think>", List.of(ToolCall.of("c1", name, args)));
  }

  static double value(List<RewardContribution> cs, int turn, String component) {
    return cs.stream().filter(c -> c.turn() == turn && c.component().equals(component)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + component + " at turn " + turn + " in " + cs)).value();
  }

  static double total(List<RewardContribution> cs, int turn) {
    return value(cs, turn, "format") + value(cs, turn, "correctness");
  }

  @Test
  void exactGoldCallInHermesBlockAfterThinking_getsTheMaximumFour() {
    Message m = Message.assistant("<think>look it up</think>\n<tool_call>\n{\"name\": \"search\", "
        + "\"arguments\": {\"n\": 3.0, \"q\": \"paris\"}}\n</tool_call>");
    List<RewardContribution> cs = shaper().shape(episode(GOLD, m));
    assertEquals(1.0, value(cs, 0, "format"));
    assertEquals(3.0, value(cs, 0, "correctness"));
    assertEquals(4.0, total(cs, 0));
  }

  @Test
  void exactGoldCallAsStructuredToolCall_getsTheMaximumFour() {
    Message m = Message.assistant("<think>look it up</think>",
        List.of(ToolCall.of("c1", "search", "{\"q\": \"paris\", \"n\": 3}")));
    assertEquals(4.0, total(shaper().shape(episode(GOLD, m)), 0));
  }

  @Test
  void goldGivenWithParametersAndStringArguments_isReadLikeArguments() {
    String gold = "[{\"name\": \"search\", \"parameters\": \"{\\\"q\\\": \\\"paris\\\", \\\"n\\\": 3}\"}]";
    Message m = structured("search", "{\"q\":\"paris\",\"n\":3}");
    assertEquals(4.0, total(shaper().shape(episode(gold, m)), 0));
  }

  @Test
  void missingToolCallWhenOneIsExpected_getsMinusThreeCorrectnessAndNoFormat() {
    List<RewardContribution> cs = shaper().shape(episode(GOLD, Message.assistant("<think>hm</think>\n"
        + "<response>Paris is nice</response>")));
    assertEquals(-3.0, value(cs, 0, "correctness"));
    assertEquals(0.0, value(cs, 0, "format"));
  }

  @Test
  void unparsableArguments_getMinusThreeCorrectness() {
    Message badStructured = structured("search", "{q: paris}");
    Message hermes = Message.assistant("<think>x</think><tool_call>{\"name\": \"search\", \"arguments\": "
        + "{\"q\": }</tool_call>");
    Message unclosed = Message.assistant("<think>x</think><tool_call>{\"name\": \"search\"}");
    for (Message m : List.of(badStructured, hermes, unclosed)) {
      assertEquals(-3.0, value(shaper().shape(episode(GOLD, m)), 0, "correctness"), m.toString());
    }
  }

  @Test
  void wrongArgumentValue_getsPartialCreditByTheToolRlFormula() {
    // names J = 1; keys J = 1 and 1 of 2 values equal -> 2; score = 3 of max 1 + (1 + 2) = 4; 6*3/4 - 3 = 1.5
    Message m = structured("search", "{\"q\":\"paris\",\"n\":5}");
    assertEquals(1.5, value(shaper().shape(episode(GOLD, m)), 0, "correctness"), 1e-12);
  }

  @Test
  void wrongFunctionName_getsTheMinimumCorrectness() {
    Message m = structured("lookup", "{\"q\":\"paris\",\"n\":3}");
    assertEquals(-3.0, value(shaper().shape(episode(GOLD, m)), 0, "correctness"), 1e-12);
  }

  @Test
  void extraCall_costsThroughTheNameJaccard() {
    // names: gold [search], predicted [search, search] -> J = 1/2; best match 1 + 2 = 3; score 3.5 of 4
    Message m = Message.assistant("<think>x</think>", List.of(ToolCall.of("c1", "search", "{\"q\":\"paris\",\"n\":3}"),
        ToolCall.of("c2", "search", "{\"q\":\"rome\"}")));
    assertEquals(6 * 3.5 / 4 - 3, value(shaper().shape(episode(GOLD, m)), 0, "correctness"), 1e-12);
  }

  @Test
  void turnWithoutGoldCalls_scoresZeroCorrectnessAndWantsAResponseBlock() {
    RewardShaper s = new ToolCallShaperProvider().create(new ToolCallShaperProvider.Config("gold_calls", true,
        "think", "response"));
    Episode e = episode("[[{\"name\": \"search\", \"arguments\": {\"q\": \"paris\", \"n\": 3}}], []]",
        structured("search", "{\"q\":\"paris\",\"n\":3}"),
        Message.assistant("<think>found it</think>\n<response>Paris</response>"),
        Message.assistant("extra turn past the gold"));
    List<RewardContribution> cs = s.shape(e);
    assertEquals(4.0, total(cs, 0));
    assertEquals(0.0, value(cs, 1, "correctness"));
    assertEquals(1.0, value(cs, 1, "format"));
    assertTrue(cs.stream().noneMatch(c -> c.turn() == 2), "turns past the gold are not rewarded: " + cs);
  }

  @Test
  void callingAToolWhenNoneIsExpected_failsTheFormat() {
    RewardShaper s = new ToolCallShaperProvider().create(new ToolCallShaperProvider.Config("gold_calls", true,
        "think", "response"));
    Episode e = episode("[[]]",
        structured("search", "{}"));
    assertEquals(0.0, value(s.shape(e), 0, "format"));
    assertEquals(0.0, value(s.shape(e), 0, "correctness"));
  }

  @Test
  void byDefaultOnlyTheFirstTurnIsScored() {
    Message call = structured("search", "{\"q\":\"paris\",\"n\":3}");
    List<RewardContribution> cs = shaper().shape(episode(GOLD, call, call));
    assertEquals(List.of(0, 0), cs.stream().map(RewardContribution::turn).toList());
  }

  @Test
  void formatCheck_followsToolRlsLayout() {
    assertTrue(ToolRlScore.formatOk("<think>a</think>\n<tool_call>\n{}\n</tool_call>", false, true, "think",
        "response"));
    assertTrue(ToolRlScore.formatOk("<think>a</think><tool_call>{}</tool_call>\n<tool_call>{}</tool_call>", false,
        true, "think", "response"));
    assertFalse(ToolRlScore.formatOk("<tool_call>{}</tool_call>", false, true, "think", "response"), "think first");
    assertFalse(ToolRlScore.formatOk("<think>a</think> text <tool_call>{}</tool_call>", false, true, "think",
        "response"), "text between blocks");
    assertFalse(ToolRlScore.formatOk("<think>a</think><tool_call>{}</tool_call>", true, true, "think", "response"),
        "structured calls and a block");
    assertFalse(ToolRlScore.formatOk("<think>a<think>b</think></think><response>r</response>", false, false, "think",
        "response"), "nested blocks");
    assertTrue(ToolRlScore.formatOk("<think>a</think>", false, false, "think", ""), "no response block configured");
    assertTrue(ToolRlScore.formatOk("<tool_call>{}</tool_call>", false, true, "", "response"), "no think configured");
  }

  @Test
  void missingGoldField_failsTheEpisodeThroughThePipelineNamingTheShaper() {
    Episode e = EpisodeBuilder.on("t7").turn("<think>x</think>", 0.0).build();
    Episode scored = ShapingPipeline.builder().shaper("tool-call", shaper(), 1.0).build().score(e);
    assertEquals(EpisodeStatus.FAILED, scored.status());
    assertTrue(scored.failure().contains("shaper 'tool-call'") && scored.failure().contains("gold_calls"),
        scored.failure());
  }

  @Test
  void goldThatIsNotAnArrayOfCalls_isRejectedNamingTheField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> shaper().shape(episode("{\"name\": \"search\"}", Message.assistant("x"))));
    assertTrue(e.getMessage().contains("field 'gold_calls' of task 't'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> shaper().shape(episode("[{\"name\": ", Message.assistant("x"))));
  }

  @Test
  void pipeline_recordsFormatAndCorrectnessInTheLedger() {
    Message m = structured("search", "{\"q\":\"paris\",\"n\":5}");
    Episode scored = ShapingPipeline.builder().shaper("tool-call", shaper(), 0.5).build().score(episode(GOLD, m));
    assertEquals(List.of(new LedgerEntry(0, "tool-call", "format", 1.0, 0.5),
        new LedgerEntry(0, "tool-call", "correctness", 1.5, 0.75)), scored.ledger());
    assertEquals(1.25, ShapingPipeline.turnRewards(scored)[0], 1e-12);
  }

  @Test
  void config_rejectsBadValuesNamingTheField() {
    assertEquals("goldField must name a task field, was ' '", assertThrows(IllegalArgumentException.class,
        () -> new ToolCallShaperProvider.Config(" ", false, "think", "response")).getMessage());
    String tag = assertThrows(IllegalArgumentException.class,
        () -> new ToolCallShaperProvider.Config("g", false, "<think>", "response")).getMessage();
    assertTrue(tag.startsWith("thinkTag must be a tag name") && tag.endsWith("was '<think>'"), tag);
    assertThrows(IllegalArgumentException.class, () -> new ToolCallShaperProvider.Config("g", false, "x", "x"));
    assertThrows(IllegalArgumentException.class, () -> new ToolCallShaperProvider.Config("g", false, "tool_call", ""));
    assertEquals(ToolCallShaperProvider.Config.defaults(), new ToolCallShaperProvider.Config(null, false, null, null));
  }

  static final String TOOLRL_BOTH = "<think> look it up </think>\n<tool_call>\n{\"name\": \"search\", "
      + "\"parameters\": {\"q\": \"paris\", \"n\": 3}}\n</tool_call>\n<response> Searching. </response>";

  @Test
  void goldGivenAsAToolRlOutput_readsItsCallsAndExpectsItsLayout() {
    Message both = Message.assistant("<think>x</think>\n<tool_call>\n{\"name\": \"search\", \"arguments\": "
        + "{\"q\": \"paris\", \"n\": 3}}\n</tool_call>\n<response>Searching.</response>");
    List<RewardContribution> cs = shaper().shape(episode(TOOLRL_BOTH, both));
    assertEquals(1.0, value(cs, 0, "format"), "calls then a response, as the gold output has");
    assertEquals(3.0, value(cs, 0, "correctness"));
    Message callsOnly = Message.assistant("<think>x</think>\n<tool_call>\n{\"name\": \"search\", \"arguments\": "
        + "{\"q\": \"paris\", \"n\": 3}}\n</tool_call>");
    assertEquals(0.0, value(shaper().shape(episode(TOOLRL_BOTH, callsOnly)), 0, "format"), "the response is missing");
    String respondOnly = "<think> no tool fits </think>\n<response> Sorry. </response>";
    List<RewardContribution> r = shaper().shape(episode(respondOnly, Message.assistant("<think>a</think><response>b"
        + "</response>")));
    assertEquals(1.0, value(r, 0, "format"));
    assertEquals(0.0, value(r, 0, "correctness"), "rlla.py gives 0 correctness when the gold has no call");
  }

  @Test
  void aGoldThatIsNeitherJsonNorAToolRlOutput_isRefusedNamingTheField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> shaper().shape(episode("search(q=paris)", Message.assistant("x"))));
    assertTrue(e.getMessage().contains("gold_calls"), e.getMessage());
  }
}
