package dev.ludus.runner.learn.advantage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.ConfigException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The factory, the configs' validation and the result record. */
class AdvantageEstimatorsTest {

  @Test
  void of_eachRegisteredName_givesTheEstimatorOfThatName() {
    for (String name : AdvantageEstimators.catalog().names()) {
      assertEquals(name, AdvantageEstimators.of(name).name());
    }
    assertTrue(AdvantageEstimators.catalog().names().containsAll(Set.of("grpo", "rloo", "reinforce-plus-plus",
        "ppo-gae", "igpo")), "the built-in estimators are registered through ServiceLoader");
  }

  @Test
  void of_unknownName_throwsListingTheKnownOnes() {
    ConfigException e = assertThrows(ConfigException.class, () -> AdvantageEstimators.of("ppo"));

    assertTrue(e.getMessage().contains("'ppo'"), e.getMessage());
    for (String name : AdvantageEstimators.catalog().names()) {
      assertTrue(e.getMessage().contains(name), e.getMessage());
    }
    assertThrows(ConfigException.class, () -> AdvantageEstimators.of(null));
  }

  @Test
  void of_configOfAnotherEstimator_isRejected() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> AdvantageEstimators.of("grpo", IgpoConfig.defaults()));

    assertTrue(e.getMessage().contains("GrpoConfig") && e.getMessage().contains("IgpoConfig"), e.getMessage());
    assertThrows(ConfigException.class, () -> AdvantageEstimators.of("rloo", GrpoConfig.defaults()));
  }

  @Test
  void providers_sayWhetherTheyNeedGroupsAndCreateTheirEstimatorFromTheirConfig() {
    for (String name : List.of("grpo", "rloo", "reinforce-plus-plus", "ppo-gae", "igpo")) {
      EstimatorProvider<?> p = AdvantageEstimators.catalog().get(name);
      assertEquals(p.name(), AdvantageEstimators.create(p, p.defaultConfig()).name());
      assertFalse(p.formula().isBlank(), p.name());
      assertFalse(p.reference().isBlank(), p.name());
      assertEquals(!Set.of("reinforce-plus-plus", "ppo-gae").contains(p.name()), p.needsGroups(), p.name());
    }
  }

  @Test
  void of_withItsOwnConfig_usesIt() {
    AdvantageEstimator e = AdvantageEstimators.of("reinforce-plus-plus", ReinforcePlusPlusConfig.baselineVariant());

    assertEquals("reinforce-plus-plus", e.name());
    assertFalse(e.needsValues());
    assertTrue(AdvantageEstimators.of("ppo-gae", PpoGaeConfig.defaults()).needsValues());
  }

  @Test
  void defaults_areTheDocumentedOnes() {
    assertEquals(new GrpoConfig(1e-6, StdConvention.SAMPLE, true), GrpoConfig.defaults());
    assertEquals(new ReinforcePlusPlusConfig(1.0, false), ReinforcePlusPlusConfig.defaults());
    assertEquals(new PpoGaeConfig(1.0, 1.0, true), PpoGaeConfig.defaults());
    assertEquals(new IgpoConfig(1.0, 1e-6, StdConvention.POPULATION, true, IgpoConfig.Pooling.JOINT,
        IgpoConfig.Baseline.TURN_INDEX), IgpoConfig.defaults());
  }

  @Test
  void configs_rejectBadValuesNamingTheField() {
    assertMessage("ppo-gae.gamma", () -> new PpoGaeConfig(1.5, 1, true));
    assertMessage("ppo-gae.lambda", () -> new PpoGaeConfig(1, -0.1, true));
    assertMessage("reinforce-plus-plus.gamma", () -> new ReinforcePlusPlusConfig(Double.NaN, false));
    assertMessage("igpo.gamma", () -> new IgpoConfig(2, 1e-6, StdConvention.SAMPLE, true, IgpoConfig.Pooling.JOINT));
    assertMessage("grpo.epsilon", () -> new GrpoConfig(0, StdConvention.SAMPLE, true));
    assertMessage("igpo.epsilon",
        () -> new IgpoConfig(1, Double.POSITIVE_INFINITY, StdConvention.SAMPLE, true, IgpoConfig.Pooling.JOINT));
    assertThrows(NullPointerException.class, () -> new GrpoConfig(1e-6, null, true));
    assertThrows(NullPointerException.class, () -> new IgpoConfig(1, 1e-6, StdConvention.SAMPLE, true, null));
  }

  @Test
  void tokenAdvantages_copiesItsArraysInAndOut() {
    float[][] a = {{1, 2}};
    TokenAdvantages t = new TokenAdvantages(Fixtures.episode("a").turn(2, 0).build(), 0, a, new double[] {3});
    a[0][0] = 9;
    t.advantages()[0][1] = 9;
    t.valueTargets()[0] = 9;

    assertEquals(1f, t.get(0, 0));
    assertEquals(2f, t.get(0, 1));
    assertEquals(3, t.valueTargets()[0]);
  }

  @Test
  void tokenAdvantages_mustHaveOneRowPerTurn() {
    assertThrows(IllegalArgumentException.class,
        () -> new TokenAdvantages(Fixtures.episode("a").turn(2, 0).build(), 0, new float[2][], null));
  }

  private static void assertMessage(String field, Runnable r) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertTrue(e.getMessage().contains(field), e.getMessage());
  }
}
