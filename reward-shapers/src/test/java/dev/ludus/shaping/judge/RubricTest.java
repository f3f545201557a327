package dev.ludus.shaping.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RubricTest {
  @Test
  void sotopia_hasTheSevenDimensionsWithTheirRanges() {
    Rubric r = Rubric.load("sotopia");
    assertEquals(List.of("believability", "relationship", "knowledge", "secret", "social_rules",
        "financial_and_material_benefits", "goal"), r.criteria().stream().map(Rubric.Criterion::name).toList());
    assertEquals(List.of("0 to 10", "-5 to 5", "0 to 10", "-10 to 0", "-10 to 0", "-5 to 5", "0 to 10"),
        r.criteria().stream().map(Rubric.Criterion::scale).toList());
    assertEquals(2.0, r.total(new double[] {7, 1, 3, 0, -2, 1, 4}), 1e-12, "Sotopia's overall: the plain mean");
  }

  @Test
  void aNormalizedRubric_mapsEachCriterionToItsScale_andItsPartsSumToTheTotal() {
    Rubric r = Rubric.load("default");
    double[] s = {10, 0, 5};
    assertEquals((2 * 1.0 + 0 + 0.5) / 4, r.total(s), 1e-12);
    assertEquals(r.total(s), java.util.Arrays.stream(r.parts(s)).sum(), 1e-12);
  }

  @Test
  void aRubricFile_overridesTheBuiltInOnes(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("mine.yaml");
    Files.writeString(f, "name: mine\nnormalize: true\ncriteria:\n  - {name: politeness, min: 1, max: 5, weight: 1}\n");
    Rubric r = Rubric.load(f.toString());
    assertEquals(0.5, r.total(new double[] {3}), 1e-12);
  }

  @Test
  void aBadRubric_isAConfigErrorNamingIt(@TempDir Path dir) throws Exception {
    ConfigException missing = assertThrows(ConfigException.class, () -> Rubric.load("nope"));
    assertTrue(missing.getMessage().contains("default, sotopia"), missing.getMessage());
    Path f = dir.resolve("bad.yaml");
    Files.writeString(f, "name: bad\ncriteria:\n  - {name: x, min: 5, max: 5, weight: 1}\n");
    ConfigException bad = assertThrows(ConfigException.class, () -> Rubric.load(f.toString()));
    assertTrue(bad.getMessage().contains("min < max"), bad.getMessage());
  }
}
