package dev.ludus.environments.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Reasoning-SQL's text rewards give what its Python code gives, quirks included. */
class ReasoningSqlTest {
  private static final ExecutorService PARSERS = Executors.newCachedThreadPool();

  @AfterAll
  static void close() {
    PARSERS.shutdownNow();
  }

  @Test
  void xmlCountIsHalfForTheExactLayout() {
    assertEquals(0.5, ReasoningSql.xmlCount("<reasoning>\nr\n</reasoning>\n<answer>\na\n</answer>\n"), 1e-12);
  }

  @Test
  void xmlCountLosesAThousandthPerCharacterAfterTheAnswer() {
    // 0.125 + 0.125 + (0.125 - 3 * 0.001) + (0.125 - (4 - 1) * 0.001)
    assertEquals(0.494, ReasoningSql.xmlCount("<reasoning>\nr\n</reasoning>\n<answer>\na\n</answer>\nxyz"), 1e-12);
  }

  @Test
  void xmlCountWithoutTheLastNewlineChargesTheWholeTextAsPythonsSplitDoes() {
    // "\n</answer>\n" is absent, so split(...)[-1] is all 47 characters: 0.125 + 0.125 + (0.125 - 0.047)
    // + (0.125 - (0 - 1) * 0.001)
    assertEquals(0.454, ReasoningSql.xmlCount("<reasoning>\nr\n</reasoning>\n<answer>\na\n</answer>"), 1e-12);
  }

  @Test
  void xmlCountIgnoresATagLineThatAppearsTwice() {
    assertEquals(0.375, ReasoningSql.xmlCount("<reasoning>\n<reasoning>\nr\n</reasoning>\n<answer>\na\n</answer>\n"),
        1e-12);
  }

  @Test
  void theSoftFormatOnlyAnchorsAtTheStart() {
    assertEquals(0.5, ReasoningSql.softFormat("<reasoning>x\ny</reasoning>  <answer>z</answer> then more"));
    assertEquals(0.0, ReasoningSql.softFormat("so: <reasoning>x</reasoning><answer>z</answer>"));
    assertEquals(0.0, ReasoningSql.softFormat("<answer>z</answer>"));
  }

  @Test
  void theStrictFormatWantsOneLineBodiesAndAllowsOneTrailingNewline() {
    assertEquals(0.5, ReasoningSql.strictFormat("<reasoning>\nr\n</reasoning>\n<answer>\nSELECT 1\n</answer>\n"));
    assertEquals(0.5, ReasoningSql.strictFormat("<reasoning>\nr\n</reasoning>\n<answer>\nSELECT 1\n</answer>\n\n"));
    assertEquals(0.0, ReasoningSql.strictFormat("<reasoning>\nr\ns\n</reasoning>\n<answer>\nSELECT 1\n</answer>\n"));
    assertEquals(0.0, ReasoningSql.strictFormat("<reasoning>\nr\n</reasoning>\n<answer>\nSELECT 1\n</answer>"));
    assertEquals(0.0, ReasoningSql.strictFormat("<reasoning>\nr\n</reasoning>\n<answer>\nSELECT 1\n</answer>\nx"));
  }

  @Test
  void theSqlIsTheLastSqlBlockElseTheAnswerElseTheText() {
    assertEquals("SELECT 2", ReasoningSql.extractSql("```sql\nSELECT 1\n``` and ```sql SELECT 2 ```"));
    assertEquals("SELECT 3", ReasoningSql.extractSql("<reasoning>\nr\n</reasoning>\n<answer>\nSELECT 3\n</answer>\n"));
    assertEquals("SELECT 4", ReasoningSql.extractSql("  SELECT 4 \n"));
  }

  @Test
  void bigramJaccardComparesSetsOfAdjacentTokens() {
    assertEquals(1.0, ReasoningSql.bigramJaccard("SELECT a FROM t", "select  a\nfrom t"));
    assertEquals(0.2, ReasoningSql.bigramJaccard("SELECT a FROM t", "SELECT b FROM t"), 1e-12);
    assertEquals(0.0, ReasoningSql.bigramJaccard("", "x"));
    assertEquals(java.util.List.of("select", "`unit price`", ",", "'o''neil'", "<=", "3.5"),
        ReasoningSql.tokens("SELECT `Unit Price`, 'O''Neil' <= 3.5"));
  }

  @Test
  void schemaLinkingIsTheRecallOfTheGoldsTablesAndColumns() {
    String gold = "SELECT T1.name FROM schools AS T1 JOIN districts AS T2 ON T1.district_id = T2.district_id";
    assertEquals(0.5, link("SELECT name FROM schools", gold));
    assertEquals(1.0, link("SELECT T2.Name, T2.District_ID FROM Schools T2, `districts`", gold));
    assertEquals(0.0, link("select name from schools", gold), "the code tests for an upper-case SELECT");
    assertEquals(0.0, link("SELECT name FROM schools WHERE name GLOB 'a*'", gold), "JSqlParser cannot parse GLOB");
  }

  private static double link(String predicted, String gold) {
    Optional<SqlReferences> p = SqlReferences.of(predicted, PARSERS);
    return ReasoningSql.schemaLinking(predicted, p, SqlReferences.of(gold, PARSERS));
  }
}
