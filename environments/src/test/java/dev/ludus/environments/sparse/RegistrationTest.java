package dev.ludus.environments.sparse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Catalog;
import dev.ludus.api.EnvironmentProvider;
import dev.ludus.api.Registry;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegistrationTest {
  @Test
  void theThreeSparseGamesAreFoundByNameWithTheirConfigTypesAndAnOracle() {
    Catalog<EnvironmentProvider<?>> envs = Registry.load().environments();
    List<Class<?>> configs = List.of(GuessNumberConfig.class, GridworldConfig.class, FrozenLakeConfig.class);
    List<String> names = List.of("guess-number", "gridworld", "frozen-lake");
    for (int i = 0; i < names.size(); i++) {
      EnvironmentProvider<?> p = envs.get(names.get(i));
      assertEquals(configs.get(i), p.configType());
      assertTrue(p.configType().isInstance(p.defaultConfig()));
      assertTrue(p.bind(cast(p.defaultConfig())).oracle().isPresent(), names.get(i));
      assertTrue(p.signals().stream().anyMatch(k -> k.name().equals("success")), names.get(i));
    }
  }

  @SuppressWarnings("unchecked")
  private static <C> C cast(Object config) {
    return (C) config;
  }
}
