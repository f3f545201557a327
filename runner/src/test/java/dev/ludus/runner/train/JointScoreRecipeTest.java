package dev.ludus.runner.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.api.Registry;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * Where the seats of a multi-agent environment declare a joint score, the recipe pays every seat the joint score
 * besides its own points, so that self-play does not learn to walk away from deals.
 */
class JointScoreRecipeTest {
  private static final Registry REGISTRY = Registry.load();

  private static JsonNode shaper(ResolvedConfig r, String as) {
    return StreamSupport.stream(r.config().shaping().get("shapers").spliterator(), false)
        .filter(s -> as.equals(s.path("as").asText(null))).findFirst().orElse(null);
  }

  @Test
  void aNegotiationThatDeclaresAJointScorePaysEverySeatTheJointScoreAtWeightOne() {
    ResolvedConfig r = Recipe.resolve(REGISTRY, Recipe.Request.ofEnv("deal-or-no-deal", null));
    JsonNode joint = shaper(r, Recipe.JOINT_SCORE);
    assertTrue(joint != null, "no joint-score shaper in " + r.config().shaping());
    assertEquals("signal-reward", joint.get("name").asText());
    assertEquals(1.0, joint.get("weight").asDouble());
    assertEquals(Recipe.JOINT_SCORE, joint.path("config").path("signal").asText());
    assertTrue(r.origins().get("shaping").why().contains("Lewis et al. 2017"), r.origins().get("shaping").why());
    // the trainer accepts it: the shaper reads a signal the environment declares
    new Trainer(REGISTRY, r.config(), null, new PrintWriter(Writer.nullWriter())).validate();
  }

  @Test
  void aSingleAgentEnvironmentGetsNoJointScore() {
    ResolvedConfig r = Recipe.resolve(REGISTRY, Recipe.Request.ofEnv("guess-number", "{low: 1, high: 8, maxTurns: 4}"));
    assertFalse(r.facts().signals().contains(Recipe.JOINT_SCORE));
    assertEquals(null, shaper(r, Recipe.JOINT_SCORE));
  }
}
