package dev.ludus.runner.worlds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Episode;
import dev.ludus.api.LedgerEntry;
import dev.ludus.runner.cli.Ludus;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end: twenty-questions with info-gain + outcome writes each turn's ledger into the episode file. */
class TwentyQuestionsShapingTest {
  @Test
  void infoGainAndOutcomeAreRecordedPerTurnInTheEpisodeFile(@TempDir Path dir) throws Exception {
    for (Episode e : InfoGainRollouts.oracleEpisodes(dir, "twenty-questions")) {
      LedgerEntry outcome = InfoGainRollouts.assertGainsTelescope(e);
      assertEquals(1.0, outcome.raw());
      assertEquals(e.turns().get(e.turns().size() - 1).index(), outcome.turn());
    }
  }

  @Test
  void infoGainOnAnEnvironmentWithoutCandidateEntropyIsRefusedBeforeTheRun(@TempDir Path dir) throws Exception {
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream old = System.err;
    int code;
    try {
      System.setErr(new java.io.PrintStream(err, true));
      code = Ludus.run("rollout", "--env", "sokoban", "--shaping", "shapers: [{name: info-gain}]", "--out",
          dir.toString());
    } finally {
      System.setErr(old);
    }
    assertEquals(2, code);
    assertTrue(err.toString().contains("shaper 'info-gain' reads signal 'candidate-entropy', which environment 'sokoban'"
        + " does not publish"), err.toString());
  }
}
