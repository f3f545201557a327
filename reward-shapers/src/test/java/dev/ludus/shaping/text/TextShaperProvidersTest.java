package dev.ludus.shaping.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Episode;
import dev.ludus.api.RewardContribution;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.ShaperProvider;
import dev.ludus.shaping.testing.EpisodeBuilder;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TextShaperProvidersTest {
  static final List<String> NAMES = List.of("answer-match", "format", "length-penalty", "reasoning-pattern",
      "repetition", "tool-call");

  static Map<String, ShaperProvider<?>> loaded() {
    Map<String, ShaperProvider<?>> byName = new TreeMap<>();
    for (ShaperProvider<?> p : ServiceLoader.load(ShaperProvider.class)) {
      if (p.getClass().getPackageName().equals("dev.ludus.shaping.text")) {
        byName.put(p.name(), p);
      }
    }
    return byName;
  }

  @Test
  void serviceLoader_findsTheSixTextShapersByName() {
    assertEquals(NAMES, List.copyOf(loaded().keySet()));
  }

  @Test
  void everyProvider_describesItselfOnOneLineAndCitesItsSourceWithAProvenanceTag() {
    for (ShaperProvider<?> p : loaded().values()) {
      assertTrue(p.name().matches("[a-z]+(-[a-z]+)*"), p.name());
      for (String line : List.of(p.description(), p.formula(), p.reference())) {
        assertFalse(line.isBlank(), p.name());
        assertFalse(line.contains("\n"), p.name() + ": " + line);
      }
      assertTrue(p.reference().matches(".*\\[(CODE|PAPER|SUMMARY|RECALL|INFERRED)\\b.*"), p.reference());
      assertTrue(p.configType().isRecord(), p.name());
      assertEquals(p.configType(), p.defaultConfig().getClass(), p.name());
    }
  }

  @Test
  void everyShaperWithDefaults_handlesAnEpisodeWithItsGoldAndGivesFiniteValuesOnExistingTurns() {
    Episode e = EpisodeBuilder.on("t").field("answer", "Paris").field("gold_calls", "[]")
        .turn("<think>hm</think><answer>Lyon</answer>", 0).turn("", 0).turn("<answer>Paris</answer>", 1).build();
    for (ShaperProvider<?> p : loaded().values()) {
      for (RewardContribution c : create(p).shape(e)) {
        assertTrue(Double.isFinite(c.value()) && c.turn() >= 0 && c.turn() < 3, p.name() + ": " + c);
      }
    }
  }

  @Test
  void emptyEpisode_getsNoContributions() {
    Episode e = EpisodeBuilder.on("t").field("answer", "Paris").field("gold_calls", "[]").build();
    for (ShaperProvider<?> p : loaded().values()) {
      assertEquals(List.of(), create(p).shape(e), p.name());
    }
  }

  private static <C> RewardShaper create(ShaperProvider<C> p) {
    return p.create(p.defaultConfig());
  }
}
