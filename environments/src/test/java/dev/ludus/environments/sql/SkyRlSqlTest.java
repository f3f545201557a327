package dev.ludus.environments.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** SkyRL-SQL's format check over a whole exchange. */
class SkyRlSqlTest {
  private static final String OBSERVATION = SkyRlSql.observation("x\n1", 4);

  @Test
  void aThinkingExchangeEndingInOneSolutionIsValid() {
    String history = "<think>a</think><sql>SELECT 1</sql>" + OBSERVATION + "<think>b</think>\n<solution> SELECT 1 </solution>";
    assertEquals(Optional.of("SELECT 1"), SkyRlSql.validSolution(history));
  }

  @Test
  void withoutAnyThinkItIsInvalid() {
    assertEquals(Optional.empty(), SkyRlSql.validSolution("<solution>SELECT 1</solution>"));
  }

  @Test
  void anObservationMustBeFollowedByThinking() {
    assertEquals(Optional.empty(), SkyRlSql.validSolution(
        "<think>a</think><sql>SELECT 1</sql>" + OBSERVATION + "<solution>SELECT 1</solution>"));
  }

  @Test
  void twoSolutionsOrATagInsideTheSolutionAreInvalid() {
    assertEquals(Optional.empty(), SkyRlSql.validSolution("<think>a</think><solution>1</solution><solution>2</solution>"));
    assertEquals(Optional.empty(), SkyRlSql.validSolution("<think>a</think><solution><sql>SELECT 1</sql></solution>"));
    assertEquals(Optional.empty(), SkyRlSql.validSolution("<think>a</think><solution>SELECT 1"));
  }

  @Test
  void anActionAnswersOnlyWithBothSolutionTags() {
    assertTrue(SkyRlSql.answers("<solution>x</solution>"));
    assertFalse(SkyRlSql.answers("<solution>x"));
    assertEquals(Optional.of("SELECT 2"), SkyRlSql.query("<sql>SELECT 2</sql><sql>SELECT 3</sql>"));
  }

  @Test
  void anObservationCarriesTheTurnsLeft() {
    assertEquals("\n\n<observation>x\n1\n<reminder>You have 4 turns left to complete the task.</reminder>"
        + "</observation>\n\n", OBSERVATION);
  }
}
