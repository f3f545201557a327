package dev.ludus.runner.rm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.djl.LmTokenizer;
import dev.ludus.api.ConfigException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** CRM's peer review and schedule, and that peer review drops the pairs a peer ranks the other way. */
class CollaborativeRewardModelsTest {
  static CollaborativeRewardModels.Options options(double drop, double ramp) {
    return new CollaborativeRewardModels.Options(2, 8, 1e-3, drop, ramp, true, 1);
  }

  @Property(tries = 200)
  void theKeptPairsAreExactlyTheShareWithTheLargestPeerMargins(
      @ForAll @Size(min = 1, max = 40) List<@DoubleRange(min = -5, max = 5) Double> margins,
      @ForAll @DoubleRange(min = 0, max = 0.9) double tau) {
    float[] m = new float[margins.size()];
    for (int i = 0; i < m.length; i++) {
      m[i] = margins.get(i).floatValue();
    }
    int[] kept = CollaborativeRewardModels.keep(m, tau);
    int expected = Math.max(1, (int) Math.ceil((1 - tau) * m.length - 1e-9));
    assertEquals(expected, kept.length);
    float lowestKept = Float.POSITIVE_INFINITY;
    boolean[] in = new boolean[m.length];
    for (int i : kept) {
      in[i] = true;
      lowestKept = Math.min(lowestKept, m[i]);
    }
    for (int i = 0; i < m.length; i++) {
      if (!in[i]) {
        assertTrue(m[i] <= lowestKept, "dropped " + m[i] + " while keeping " + lowestKept);
      }
    }
    int[] sorted = kept.clone();
    Arrays.sort(sorted);
    assertArrayEquals(sorted, kept, "in batch order");
  }

  @Test
  void theDropRateRampsFromZeroToItsMaximumAndStays() {
    CollaborativeRewardModels.Options o = options(0.4, 2);
    assertEquals(0.0, CollaborativeRewardModels.dropRate(o, 0), 1e-12);
    assertEquals(0.1, CollaborativeRewardModels.dropRate(o, 0.5), 1e-12);
    assertEquals(0.4, CollaborativeRewardModels.dropRate(o, 2), 1e-12);
    assertEquals(0.4, CollaborativeRewardModels.dropRate(o, 7.5), 1e-12);
  }

  @Test
  void aPeerThatLearnedTheCleanPairsDropsMostlyTheFlippedOnes() {
    List<PreferenceExample> clean = CrmExperiment.synthetic(160, 3);
    List<String> texts = new ArrayList<>();
    clean.forEach(e -> {
      texts.add(e.chosen().get(1).content());
      texts.add(e.rejected().get(1).content());
    });
    LmTokenizer tok = LmTokenizer.byteLevelBpe(texts, 300);
    try (RewardModel peer = RewardModel.create(tok, 1, 32, 2, 32, "cpu", 1)) {
      CollaborativeRewardModels.trainAlone(peer, clean, new CollaborativeRewardModels.Options(3, 16, 3e-3, 0, 1,
          false, 1));
      List<PreferenceExample> batch = new ArrayList<>();
      boolean[] flipped = new boolean[40];
      for (int i = 0; i < 40; i++) {
        PreferenceExample e = clean.get(i);
        flipped[i] = i % 4 == 0;
        batch.add(flipped[i] ? new PreferenceExample(e.category(), e.rejected(), e.chosen()) : e);
      }
      int[] kept = CollaborativeRewardModels.keep(CollaborativeRewardModels.margins(peer, batch), 0.25);
      int flippedKept = 0;
      for (int i : kept) {
        flippedKept += flipped[i] ? 1 : 0;
      }
      // 10 of 40 flipped; a chance selection of 30 would keep 7.5 of them
      assertTrue(flippedKept <= 3, "kept " + flippedKept + " flipped pairs of 10");
    }
  }

  @Test
  void theCurriculumPaceGrowsFromHalfTheSelectionToAllOfItAndKeepsTheEasiest() {
    assertEquals(0.5, CollaborativeRewardModels.pace(1, 4), 1e-12);
    assertEquals(0.75, CollaborativeRewardModels.pace(2, 4), 1e-12);
    assertEquals(1.0, CollaborativeRewardModels.pace(3, 4), 1e-12);
    List<Integer> paced = CollaborativeRewardModels.paced(List.of(7, 3, 9, 1), 0.5, new java.util.Random(1));
    assertEquals(java.util.Set.of(7, 3), new java.util.HashSet<>(paced));
  }

  @Test
  void anOutOfRangeDropRateIsAConfigErrorNamingIt() {
    ConfigException e = assertThrows(ConfigException.class, () -> options(0.95, 1));
    assertTrue(e.getMessage().contains("drop rate"), e.getMessage());
  }
}
