package dev.ludus.runner.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Registry;
import org.junit.jupiter.api.Test;

/**
 * RL samples at a lower temperature after a warm start whose demonstrated replies are long (where one unlikely
 * token derails the rest of a reply), and at 1 where they are short.
 */
class LongReplyTemperatureTest {
  private static final Registry REGISTRY = Registry.load();

  private static double temperature(ResolvedConfig r) {
    return r.config().model().get("temperature").asDouble();
  }

  @Test
  void longDemonstratedRepliesAreSampledAtHalfTemperatureAndTheOriginSaysWhy() {
    ResolvedConfig r = Recipe.resolve(REGISTRY, Recipe.Request.ofEnv("search-qa",
        "{topK: 1, maxTurns: 3, questionTypes: [one-hop]}"));
    assertTrue(r.facts().lengths().longestReply() > Recipe.LONG_REPLY, "search-qa's replies: "
        + r.facts().lengths().longestReply());
    assertEquals(Recipe.LONG_REPLY_TEMPERATURE, temperature(r));
    assertTrue(r.origins().get("model.temperature").why().contains("longest demonstrated reply is "
        + r.facts().lengths().longestReply()), r.origins().get("model.temperature").why());
    ResolvedConfig set = Recipe.resolve(REGISTRY, new Recipe.Request("search-qa",
        "{topK: 1, maxTurns: 3, questionTypes: [one-hop]}", "{model: {temperature: 0.8}}", null));
    assertEquals(0.8, temperature(set), "a config file's temperature wins over the rule");
  }

  @Test
  void shortRepliesKeepTemperatureOne() {
    ResolvedConfig r = Recipe.resolve(REGISTRY, Recipe.Request.ofEnv("guess-number", "{low: 1, high: 8, maxTurns: 4}"));
    assertTrue(r.facts().lengths().longestReply() <= Recipe.LONG_REPLY);
    assertEquals(1.0, temperature(r));
  }
}
