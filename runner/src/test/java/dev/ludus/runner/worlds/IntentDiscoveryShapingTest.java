package dev.ludus.runner.worlds;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ludus.api.Episode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end: the unchanged info-gain shaper on intent-discovery records each turn's gain in the episode file. */
class IntentDiscoveryShapingTest {
  @Test
  void infoGainOnIntentDiscoveryTelescopesToTheEntropyRemoved(@TempDir Path dir) throws Exception {
    for (Episode e : InfoGainRollouts.oracleEpisodes(dir, "intent-discovery", "--env-config",
        "{gain: none, expertise: novice}")) {
      assertEquals(1.0, InfoGainRollouts.assertGainsTelescope(e).raw(), 1e-12,
          "gain: none leaves the score as the outcome");
    }
  }
}
