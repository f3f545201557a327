package dev.ludus.shaping;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.CombinerProvider;
import dev.ludus.api.Registry;
import dev.ludus.api.TransformProvider;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegisteredCombinersAndTransformsTest {
  private static final List<String> COMBINERS = List.of("weighted-sum", "normalize-then-sum", "log-sigmoid-sum",
      "lagrangian", "hypervolume-weight", "ensemble");
  private static final List<String> TRANSFORMS = List.of("par", "clip", "delta", "running-norm", "ceiling",
      "calibrated", "noise");

  @Test
  void everyCombinerIsFoundByNameDescribedCitedAndBuildsFromItsDefaults() {
    Registry registry = Registry.load();
    for (String name : COMBINERS) {
      CombinerProvider<?> p = registry.combiners().get(name);
      assertDescribed(name, p.description(), p.formula(), p.reference(), !name.equals("weighted-sum"));
      assertNotNull(build(p), name);
    }
  }

  @Test
  void everyTransformIsFoundByNameDescribedCitedAndBuildsFromItsDefaults() {
    Registry registry = Registry.load();
    for (String name : TRANSFORMS) {
      TransformProvider<?> p = registry.transforms().get(name);
      assertDescribed(name, p.description(), p.formula(), p.reference(), true);
      assertNotNull(build(p), name);
    }
  }

  private static void assertDescribed(String name, String description, String formula, String reference,
      boolean tagged) {
    assertFalse(description.isBlank() || description.contains("\n"), name + ": one-line description");
    assertFalse(formula.isBlank() || formula.contains("\n"), name + ": one-line formula");
    assertFalse(reference.isBlank(), name + ": reference");
    if (tagged) {
      assertTrue(reference.matches(".*\\[(CODE|PAPER|SUMMARY|ABSTRACT|RECALL|INFERRED)\\b.*\\]"),
          name + ": the reference ends with its provenance tag: " + reference);
    }
  }

  private static <C> Object build(CombinerProvider<C> p) {
    return p.create(p.defaultConfig());
  }

  private static <C> Object build(TransformProvider<C> p) {
    return p.create(p.defaultConfig());
  }
}
