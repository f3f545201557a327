package dev.ludus.environments.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerScoringTest {
  static final AnswerScoring.SearchR1Scores S = new AnswerScoring.SearchR1Scores(0.2, 0.1, 0.1);
  static final List<String> GOLD = List.of("The Silent Harbor");
  static final String SEARCH = "<think>look it up</think><search> harbor </search>";

  @Test
  void exactMatchAndF1NormalizeTheSquadWay() {
    assertEquals(1.0, AnswerScoring.exact("  silent harbor!", GOLD));
    assertEquals(0.0, AnswerScoring.exact("silent harbour", GOLD));
    assertEquals(0.8, AnswerScoring.f1("the silent harbor film", GOLD), 1e-9); // P 2/3, R 1
    assertEquals(0.0, AnswerScoring.f1("yes", List.of("no")));
    assertEquals(1.0, AnswerScoring.f1("no", List.of("yes", "No.")));
  }

  @Test
  void searchR1TableGivesEachRowItsValue() {
    String info = "\n\n<information>Doc 1(Title: \"X\") The Silent Harbor is a film.</information>\n\n";
    String noInfo = "\n\n<information>Doc 1(Title: \"X\") nothing here.</information>\n\n";
    String answer = "<think>done</think><answer> silent harbor </answer>";
    assertEquals(1.0, AnswerScoring.searchR1(SEARCH + info + answer, "silent harbor", GOLD, S));
    assertEquals(0.8, AnswerScoring.searchR1("<answer>silent harbor</answer>", "silent harbor", GOLD, S), 1e-9);
    assertEquals(0.3, AnswerScoring.searchR1(SEARCH + info + "<think>x</think><answer>wrong</answer>", "wrong", GOLD, S),
        1e-9);
    assertEquals(0.2, AnswerScoring.searchR1(SEARCH + noInfo + "<think>x</think><answer>wrong</answer>", "wrong", GOLD,
        S), 1e-9);
    assertEquals(0.1, AnswerScoring.searchR1("<answer>wrong</answer>", "wrong", GOLD, S), 1e-9);
    assertEquals(0.0, AnswerScoring.searchR1("I don't know", null, GOLD, S));
  }

  @Test
  void searchR1FormatFollowsItsStateMachine() {
    assertTrue(AnswerScoring.validSequence("<think>a</think>\n<answer>b</answer>"));
    assertFalse(AnswerScoring.validSequence("<answer>b</answer>"), "no think first");
    assertFalse(AnswerScoring.validSequence("<think>a</think> stray <answer>b</answer>"), "text between blocks");
    assertFalse(AnswerScoring.validSequence("<think>a</think><search>q</search><think>b</think><answer>c</answer>"),
        "a search needs its information");
    assertFalse(AnswerScoring.validSequence("<think>a</think><answer>b</answer> more"), "text after the end");
    assertFalse(AnswerScoring.validSequence("<think>a</think><search>q</search>"), "never answered");
  }

  @Test
  void igpoIsSetF1OrMinusTwoForABadFormat() {
    assertEquals(1.0, AnswerScoring.igpo("<think>x</think><answer>Silent, Harbor the</answer>", GOLD), 1e-9);
    assertEquals(2 * 0.5 * 1.0 / 1.5, AnswerScoring.igpo("<answer>silent silent</answer>", List.of("silent harbor")),
        1e-9); // sets: {silent} vs {silent, harbor}
    assertEquals(-2.0, AnswerScoring.igpo("<think>unclosed <answer>x</answer>", GOLD));
    assertEquals(-2.0, AnswerScoring.igpo("no answer tag", GOLD));
    assertEquals(-2.0, AnswerScoring.igpo("</answer>x<answer>", GOLD), "closed before opened");
  }
}
