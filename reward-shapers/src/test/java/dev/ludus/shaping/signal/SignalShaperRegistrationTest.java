package dev.ludus.shaping.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.ShaperProvider;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SignalShaperRegistrationTest {

  @Test
  void everySignalShaperIsRegisteredUnderItsKebabNameAndDocumentsItsFormulaAndPaper() {
    Map<String, ShaperProvider<?>> found = new TreeMap<>();
    for (ShaperProvider<?> p : ServiceLoader.load(ShaperProvider.class)) {
      if (p.getClass().getPackageName().equals(SignalShaperRegistrationTest.class.getPackageName())) {
        found.put(p.name(), p);
      }
    }

    assertEquals(java.util.Set.of("potential", "info-gain", "subgoal", "count-decay", "emotion-delta", "attribution",
        "retrieval-credit"),
        found.keySet());
    for (ShaperProvider<?> p : found.values()) {
      assertTrue(p.name().matches("[a-z]+(-[a-z]+)*"), p.name());
      assertFalse(p.description().isBlank() || p.description().contains("\n"), p.name());
      assertFalse(p.formula().isBlank() || p.formula().contains("\n"), p.name());
      assertTrue(p.reference().contains("catalog A"), p.name() + ": " + p.reference());
      assertTrue(p.configType().isRecord(), p.name());
      assertTrue(p.configType().isInstance(p.defaultConfig()), p.name());
    }
  }
}
