package dev.ludus.runner.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.djl.LanguageModel;
import dev.ludus.runner.learn.LearnerConfig.KlEstimator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
  private static final long SEED = 81;
  private static final LearnerConfig CONFIG = LearnerConfig.defaults().withLearningRate(5e-3)
      .withKl(0.05, KlEstimator.K3).withEntropyCoefficient(0.01).withMicroBatchSize(3);

  /** Three fixed batches, stale enough that some tokens are clipped, made from the seed model. */
  private static List<List<Sample>> batches() {
    List<List<Sample>> out = new ArrayList<>();
    try (LanguageModel m = LearnFixtures.model(SEED)) {
      Random rng = new Random(5);
      for (int b = 0; b < 3; b++) {
        List<Sample> batch = new ArrayList<>();
        for (Sample s : LearnFixtures.freshBatch(m, 100 + b, 5)) {
          float[] lp = s.behaviourLogProbs();
          for (int i = 0; i < lp.length; i++) {
            lp[i] = Math.min(0f, lp[i] + (float) (rng.nextGaussian() * 0.3));
          }
          batch.add(new Sample(s.promptIds(), s.outputIds(), lp, s.advantages(), null, 0));
        }
        out.add(batch);
      }
    }
    return out;
  }

  @Test
  void aResumedRunContinuesExactlyLikeAnUninterruptedOne(@TempDir Path dir) {
    List<List<Sample>> batches = batches();
    float[][] uninterrupted;
    float[][][] uninterruptedMoments;
    try (LanguageModel policy = LearnFixtures.model(SEED);
        LanguageModel reference = LearnerCheckpoint.frozenCopy(policy);
        PolicyLearner learner = new PolicyLearner(policy, reference, CONFIG)) {
      for (List<Sample> batch : batches) {
        learner.update(batch);
      }
      uninterrupted = LearnFixtures.parameters(policy);
      uninterruptedMoments = learner.optimizer().moments();
      assertEquals(3, policy.version());
    }

    Path checkpoint = dir.resolve("step-2");
    try (LanguageModel policy = LearnFixtures.model(SEED);
        LanguageModel reference = LearnerCheckpoint.frozenCopy(policy);
        PolicyLearner learner = new PolicyLearner(policy, reference, CONFIG)) {
      learner.update(batches.get(0));
      learner.update(batches.get(1));
      learner.save(checkpoint);
    }

    try (LanguageModel policy = LearnerCheckpoint.loadPolicy(checkpoint, "cpu");
        LanguageModel reference = LearnerCheckpoint.loadReference(checkpoint, "cpu").orElseThrow();
        PolicyLearner learner = PolicyLearner.resume(checkpoint, policy, reference, CONFIG)) {
      assertEquals(2, learner.steps());
      assertEquals(2, policy.version());
      assertEquals(10, learner.samplesSeen());
      UpdateStats third = learner.update(batches.get(2));
      assertEquals(3, third.step());
      assertEquals(3, third.policyVersion());
      float[][] resumed = LearnFixtures.parameters(policy);
      for (int i = 0; i < resumed.length; i++) {
        assertArrayEquals(uninterrupted[i], resumed[i], "parameter " + i);
      }
      float[][][] moments = learner.optimizer().moments();
      for (int i = 0; i < moments.length; i++) {
        assertArrayEquals(uninterruptedMoments[i][0], moments[i][0], "first moment " + i);
        assertArrayEquals(uninterruptedMoments[i][1], moments[i][1], "second moment " + i);
      }
      // a resumed (loaded) policy and reference can be checkpointed again, weights untouched
      learner.save(dir.resolve("step-3"));
      assertArrayEquals(uninterrupted[0], LearnFixtures.parameters(policy)[0]);
    }
    try (LanguageModel again = LearnerCheckpoint.loadPolicy(dir.resolve("step-3"), "cpu")) {
      assertEquals(3, again.version());
      float[][] saved = LearnFixtures.parameters(again);
      for (int i = 0; i < saved.length; i++) {
        assertArrayEquals(uninterrupted[i], saved[i], "saved parameter " + i);
      }
    }

    // the control: the same weights with a fresh optimizer do not reproduce the run, so the test can fail
    try (LanguageModel policy = LearnerCheckpoint.loadPolicy(checkpoint, "cpu");
        LanguageModel reference = LearnerCheckpoint.loadReference(checkpoint, "cpu").orElseThrow();
        PolicyLearner fresh = new PolicyLearner(policy, reference, CONFIG)) {
      fresh.update(batches.get(2));
      float[][] diverged = LearnFixtures.parameters(policy);
      assertFalse(Arrays.equals(uninterrupted[0], diverged[0]), "a fresh optimizer must give other weights");
    }
  }

  @Test
  void resumeRefusesAPolicyOfAnotherVersion(@TempDir Path dir) {
    Path checkpoint = dir.resolve("c");
    try (LanguageModel policy = LearnFixtures.model(1);
        PolicyLearner learner = new PolicyLearner(policy, null, LearnerConfig.defaults())) {
      learner.update(LearnFixtures.freshBatch(policy, 1, 2));
      learner.save(checkpoint);
    }
    assertTrue(LearnerCheckpoint.loadReference(checkpoint, "cpu").isEmpty());
    try (LanguageModel other = LearnFixtures.model(1)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> PolicyLearner.resume(checkpoint, other, null, LearnerConfig.defaults()));
      assertTrue(e.getMessage().contains("version 0") && e.getMessage().contains("version 1"), e.getMessage());
    }
  }

  @Test
  void aFailedWriteLeavesNothingUnderTheFinalName(@TempDir Path dir) throws IOException {
    Path target = dir.resolve("ckpt");
    List<Boolean> visibleDuringWrite = new ArrayList<>();
    assertThrows(UncheckedIOException.class, () -> AtomicDirectory.write(target, tmp -> {
      Files.writeString(tmp.resolve("part-1"), "half of it");
      visibleDuringWrite.add(Files.exists(target));
      throw new IOException("disk full");
    }));
    assertEquals(List.of(false), visibleDuringWrite);
    assertFalse(Files.exists(target));
    assertEquals(List.of(), list(dir), "the temporary directory is removed");
  }

  @Test
  void aCheckpointIsNeverPartialUnderItsNameAndReplacesAnOldOneWhole(@TempDir Path dir) throws IOException {
    Path checkpoint = dir.resolve("latest");
    try (LanguageModel policy = LearnFixtures.model(2);
        PolicyLearner learner = new PolicyLearner(policy, null, LearnerConfig.defaults())) {
      learner.save(checkpoint);
      Files.writeString(checkpoint.resolve("stale-file"), "from an older writer");
      // a crash left a half-written temporary directory behind
      Path leftover = dir.resolve(AtomicDirectory.tmpPrefix("latest") + "crashed");
      Files.createDirectories(leftover.resolve(LearnerCheckpoint.POLICY));
      Files.writeString(leftover.resolve(LearnerCheckpoint.OPTIMIZER), "garbage");
      assertFalse(LearnerCheckpoint.exists(leftover), "a leftover is not a checkpoint");
      assertThrows(IllegalArgumentException.class, () -> LearnerCheckpoint.loadPolicy(leftover, "cpu"));

      learner.update(LearnFixtures.freshBatch(policy, 3, 2));
      learner.save(checkpoint);
      assertEquals(List.of("latest"), list(dir), "leftovers are cleaned");
      assertFalse(Files.exists(checkpoint.resolve("stale-file")), "the old checkpoint is replaced as a whole");
      try (Stream<Path> files = Files.list(checkpoint)) {
        assertEquals(List.of(LearnerCheckpoint.STATE, LearnerCheckpoint.OPTIMIZER, LearnerCheckpoint.POLICY),
            files.map(p -> p.getFileName().toString()).sorted().toList());
      }
      try (LanguageModel loaded = LearnerCheckpoint.loadPolicy(checkpoint, "cpu")) {
        assertEquals(1, loaded.version());
      }
    }
    assertThrows(IllegalArgumentException.class, () -> LearnerCheckpoint.loadPolicy(dir.resolve("missing"), "cpu"));
  }

  private static List<String> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
