package com.example.minilm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.environments.search.PassageEncoder;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class MiniLmEncoderTest {
  @Test
  void bothEncodersAreRegisteredForTheServiceLoader() {
    TreeSet<String> names = new TreeSet<>();
    for (PassageEncoder e : ServiceLoader.load(PassageEncoder.class)) {
      names.add(e.name());
      assertEquals(384, e.dimension());
    }
    assertEquals(new TreeSet<>(List.of("all-minilm-l6-v2", "all-minilm-l6-v2-q")), names);
  }

  @Test
  void theAnswerIsNearerTheQuestionThanALookAlikeIs() {
    try (PassageEncoder encoder = new QuantizedMiniLmEncoder()) {
      float[] q = encoder.encodeQuery("Who directed the film Harbor Lights?");
      List<float[]> passages = encoder.encode(List.of(
          "\"Harbor Lights\"\nHarbor Lights is a 1987 film. It was directed by Ana Venn.",
          "\"Ivo Marr\"\nIvo Marr is a chemist. Ivo Marr was born in 1961 in Velda."));
      assertEquals(2, passages.size());
      assertEquals(1.0, norm(passages.get(0)), 1e-3, "MiniLM's vectors are normalised");
      assertTrue(dot(q, passages.get(0)) > dot(q, passages.get(1)) + 0.1,
          dot(q, passages.get(0)) + " vs " + dot(q, passages.get(1)));
    }
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  static double norm(float[] a) {
    return Math.sqrt(dot(a, a));
  }
}
