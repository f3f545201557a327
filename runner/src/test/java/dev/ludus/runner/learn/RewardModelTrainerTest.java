package dev.ludus.runner.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.djl.LanguageModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Bradley–Terry step: its law at a tie, and that it learns a preference a token decides. */
class RewardModelTrainerTest {
  @Test
  void theLossIsLogTwoWhenBothSidesAreTheSameSequence() {
    Random rng = new Random(1);
    List<int[]> seqs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      seqs.add(LearnFixtures.prompt(rng, 2 + rng.nextInt(5)));
    }
    try (LanguageModel m = LearnFixtures.critic(41);
        RewardModelTrainer t = new RewardModelTrainer(m, 1e-3, 1.0)) {
      RewardModelTrainer.Stats s = t.step(seqs, seqs);
      assertEquals(Math.log(2), s.loss(), 1e-6);
      assertEquals(0, s.accuracy(), 1e-9, "a tie is not ranked right");
    }
  }

  @Test
  void stepsLearnAPreferenceThatOneTokenDecides() {
    Random rng = new Random(2);
    int good = LearnFixtures.VOCAB - 1;
    int bad = LearnFixtures.VOCAB - 2;
    List<int[]> chosen = new ArrayList<>();
    List<int[]> rejected = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      int[] p = LearnFixtures.prompt(rng, 2 + rng.nextInt(4));
      int[] c = java.util.Arrays.copyOf(p, p.length + 1);
      int[] r = java.util.Arrays.copyOf(p, p.length + 1);
      c[p.length] = good;
      r[p.length] = bad;
      chosen.add(c);
      rejected.add(r);
    }
    try (LanguageModel m = LearnFixtures.critic(42);
        RewardModelTrainer t = new RewardModelTrainer(m, 3e-3, 1.0)) {
      RewardModelTrainer.Stats first = t.step(chosen, rejected);
      RewardModelTrainer.Stats last = first;
      for (int i = 0; i < 30; i++) {
        last = t.step(chosen, rejected);
      }
      assertTrue(last.loss() < 0.2 && last.accuracy() == 1.0, first + " -> " + last);
      assertTrue(last.loss() < first.loss(), first + " -> " + last);
    }
  }

  @Test
  void aModelWithoutAValueHeadIsRefused() {
    try (LanguageModel m = LearnFixtures.model(43)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new RewardModelTrainer(m, 1e-3, 1.0));
      assertTrue(e.getMessage().contains("value head"), e.getMessage());
    }
  }
}
