package dev.ludus.agents.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.BaseNDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Continuous batching per decoding step: a sequence that joins a running batch mid-way gets exactly the tokens it gets
 * alone with its seed, finished sequences leave the batch at once, and nothing is left behind.
 */
class StepBatcherTest {
  private static final float TOLERANCE = 1e-4f;
  private static final Sampling SAMPLED = new Sampling(1.0, 0, 1.0);
  private static LanguageModel model;
  private static LmTokenizer tokenizer;

  @BeforeAll
  static void build() {
    tokenizer = DjlLmFixtures.tokenizer();
    model = DjlLmFixtures.model(5, 96);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  private static int[] prompt(int length, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int[] p = new int[length];
    for (int i = 0; i < length; i++) {
      p[i] = 4 + rng.nextInt(tokenizer.vocabSize() - 4);
    }
    return p;
  }

  private static Generator.Request request(int[] prompt, long seed, int maxTokens) {
    return new Generator.Request(prompt, SAMPLED, seed, maxTokens, List.of());
  }

  private static Generator.Result join(CompletableFuture<Generator.Result> f) {
    return f.orTimeout(120, TimeUnit.SECONDS).join();
  }

  /** What {@code r} generates alone, through a step batcher and through the per-batch generator. */
  private static Generator.Result alone(Generator.Request r) {
    Generator.Result viaGenerator = new Generator(model, tokenizer).generate(List.of(r)).get(0);
    try (StepBatcher b = new StepBatcher(model, tokenizer, 8, 0, null)) {
      Generator.Result viaSteps = join(b.submit(r));
      assertSame(viaGenerator, viaSteps, "alone, the step batcher and the per-batch generator agree");
      return viaSteps;
    }
  }

  private static void assertSame(Generator.Result expected, Generator.Result actual, String what) {
    assertArrayEquals(expected.promptIds(), actual.promptIds(), what);
    assertArrayEquals(expected.outputIds(), actual.outputIds(), what);
    assertArrayEquals(expected.logProbs(), actual.logProbs(), TOLERANCE, what);
    assertEquals(expected.finishReason(), actual.finishReason(), what);
    assertEquals(expected.text(), actual.text(), what);
  }

  @Test
  void aSequenceJoiningARunningBatchMidWayGetsTheTokensItGetsAloneWithItsSeed() {
    Generator.Request first = request(prompt(12, 1), 41, 40);
    Generator.Request late = request(prompt(7, 2), 42, 12);
    Generator.Result firstAlone = alone(first);
    Generator.Result lateAlone = alone(late);
    assertTrue(firstAlone.outputIds().length > 4, "the first sequence runs long enough for the other to join");

    Map<String, CompletableFuture<Generator.Result>> submitted = new ConcurrentHashMap<>();
    AtomicBoolean firstRunning = new AtomicBoolean();
    StepBatcher[] holder = new StepBatcher[1];
    try (StepBatcher b = new StepBatcher(model, tokenizer, 8, 0, step -> {
      if (step == 3) { // on the worker, after the running batch's third decoding step
        firstRunning.set(!submitted.get("first").isDone());
        submitted.put("late", holder[0].submit(late));
      }
    })) {
      holder[0] = b;
      submitted.put("first", b.submit(first));
      Generator.Result firstTogether = join(submitted.get("first"));
      assertNotNull(submitted.get("late"), "the late sequence was submitted during the run");
      Generator.Result lateTogether = join(submitted.get("late"));
      assertTrue(firstRunning.get(), "the first sequence was still decoding when the late one arrived");
      assertEquals(1, b.statistics().joined(), "the late sequence joined the running batch: " + b.statistics());
      assertSame(lateAlone, lateTogether, "the sequence that joined mid-way");
      assertSame(firstAlone, firstTogether, "the sequence it joined");
    }
  }

  @Test
  void withAGatheringWaitRequestsArrivingBehindARunningBatchJoinTogetherOnceTheyFillIt() {
    Generator.Request first = request(prompt(12, 1), 41, 40);
    List<Generator.Request> fillers = List.of(request(prompt(9, 5), 61, 2), request(prompt(11, 6), 62, 2),
        request(prompt(13, 7), 63, 2));
    List<Generator.Request> late = List.of(request(prompt(7, 2), 42, 6), request(prompt(8, 3), 43, 6),
        request(prompt(10, 4), 44, 6));
    Generator.Result firstAlone = alone(first);
    assertTrue(firstAlone.outputIds().length > 8, "the first sequence runs long enough for the others to join");
    List<Generator.Result> lateAlone = late.stream().map(StepBatcherTest::alone).toList();

    Map<Integer, Long> rowsAtStep = new ConcurrentHashMap<>();
    List<CompletableFuture<Generator.Result>> joined = new ArrayList<>();
    StepBatcher[] holder = new StepBatcher[1];
    // a gathering wait far longer than the test: only filling the batch can admit the late requests
    try (StepBatcher b = new StepBatcher(model, tokenizer, 4, TimeUnit.SECONDS.toNanos(60), step -> {
      rowsAtStep.put(step, holder[0].statistics().rows());
      if (step == 2) { // on the worker: one request arrives behind the running batch...
        joined.add(holder[0].submit(late.get(0)));
      } else if (step == 4) { // ... and two more, which fill it
        joined.add(holder[0].submit(late.get(1)));
        joined.add(holder[0].submit(late.get(2)));
      }
    })) {
      holder[0] = b;
      // a full burst starts at once (no gathering wait); the fillers finish at the first step
      CompletableFuture<Generator.Result> running = b.submit(first);
      fillers.forEach(b::submit);
      Generator.Result firstTogether = join(running);
      assertEquals(3, joined.size());
      for (int i = 0; i < 3; i++) {
        assertSame(lateAlone.get(i), join(joined.get(i)), "late request " + i);
      }
      assertSame(firstAlone, firstTogether, "the sequence they joined");
      assertEquals(1, rowsAtStep.get(3) - rowsAtStep.get(2), "the lone arrival waited: " + rowsAtStep);
      assertEquals(1, rowsAtStep.get(4) - rowsAtStep.get(3), "still waiting for the batch to fill: " + rowsAtStep);
      assertEquals(4, rowsAtStep.get(5) - rowsAtStep.get(4), "all three joined at the same step: " + rowsAtStep);
      assertEquals(3, b.statistics().joined(), b.statistics().toString());
    }
  }

  /** The fixture's tokenizer, whose decoding fails once when armed (the failure is a stand-in for any bug there). */
  private static final class FailingDecode extends ForwardingLmTokenizer {
    final AtomicBoolean armed = new AtomicBoolean();

    FailingDecode() {
      super(tokenizer);
    }

    @Override
    public String decode(int[] ids) {
      if (armed.compareAndSet(true, false)) {
        throw new IllegalStateException("decoding failed on purpose");
      }
      return super.decode(ids);
    }
  }

  /** Fails {@code f}'s test unless it completes (either way) within 60 s: a request must never wait for ever. */
  private static CompletableFuture<Generator.Result> settled(CompletableFuture<Generator.Result> f, String what) {
    try {
      f.handle((r, t) -> null).get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(what + " was never answered");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    return f;
  }

  @Test
  void aSequenceWhoseResultCannotBeBuiltFailsAloneAndTheOthersFinishingWithItAreStillAnswered() {
    FailingDecode failing = new FailingDecode();
    // three sequences that all end by length at the same decoding step (the first three seeds whose 3 tokens hold no
    // end of sequence), and two that end at the first pass
    List<Generator.Request> atOnce = new ArrayList<>();
    for (int seed = 51; atOnce.size() < 3; seed++) {
      Generator.Request r = request(prompt(9 + atOnce.size(), seed), seed, 3);
      if (alone(r).outputIds().length == 3) {
        atOnce.add(r);
      }
    }
    List<Generator.Request> atFirstPass = List.of(request(prompt(9, 4), 54, 1), request(prompt(10, 5), 55, 1));
    // a gathering wait longer than the test: each group starts once it fills the batch, so it is admitted together
    for (List<Generator.Request> group : List.of(atOnce, atFirstPass)) {
      List<Generator.Result> alone = group.stream().map(StepBatcherTest::alone).toList();
      try (StepBatcher b = new StepBatcher(model, failing, group.size(), TimeUnit.SECONDS.toNanos(600), null)) {
        failing.armed.set(true);
        List<CompletableFuture<Generator.Result>> out = group.stream().map(b::submit).toList();
        int failed = 0;
        for (int i = 0; i < out.size(); i++) {
          CompletableFuture<Generator.Result> f = settled(out.get(i), "request " + i + " of " + group.size());
          if (f.isCompletedExceptionally()) {
            failed++;
            CompletionException e = assertThrows(CompletionException.class, f::join);
            assertEquals("decoding failed on purpose", e.getCause().getMessage());
          } else {
            assertSame(alone.get(i), f.join(), "request " + i + " of " + group.size());
          }
        }
        assertEquals(1, failed, "only the sequence whose result failed fails, in a group of " + group.size());
        // and the worker goes on serving
        Generator.Request next = request(prompt(8, 9), 59, 2);
        for (int i = 1; i < group.size(); i++) {
          b.submit(request(prompt(8, 10 + i), 60 + i, 2));
        }
        assertEquals(2, join(b.submit(next)).outputIds().length);
      }
    }
  }

  @Test
  void theTimelineSaysWhenRequestsArrivedWereFirstAdmittedAndTheLastStepEndedSinceItsReset() {
    try (StepBatcher b = new StepBatcher(model, tokenizer, 4, 0, null)) {
      assertEquals(new ChatCompletions.Timeline(0, 0, 0, 0), b.timeline(), "nothing happened yet");
      long before = System.nanoTime();
      // the first runs more than 4 tokens (see the first test), so there are decoding steps
      CompletableFuture<Generator.Result> first = b.submit(request(prompt(12, 1), 41, 6));
      CompletableFuture<Generator.Result> second = b.submit(request(prompt(7, 2), 42, 4));
      assertTrue(join(first).outputIds().length > 1);
      join(second);
      long after = System.nanoTime();
      ChatCompletions.Timeline t = b.timeline();
      assertTrue(before <= t.firstArrival() && t.firstArrival() <= t.lastArrival() && t.lastArrival() <= after,
          t.toString());
      assertTrue(t.firstArrival() <= t.firstAdmission() && t.firstAdmission() < t.lastStep() && t.lastStep() <= after,
          t.toString());
      b.resetTimeline();
      assertEquals(new ChatCompletions.Timeline(0, 0, 0, 0), b.timeline(), "reset");
      join(b.submit(request(prompt(12, 1), 41, 6)));
      assertTrue(b.timeline().firstArrival() >= after && b.timeline().lastStep() > b.timeline().firstAdmission(),
          "a new timeline: " + b.timeline());
    }
  }

  @Test
  void theWorkerTimeCountsFirstPassesAndAddsUpTheStepsOfWhatRanSinceAnEarlierReading() {
    try (StepBatcher b = new StepBatcher(model, tokenizer, 4, 0, null)) {
      assertEquals(new ChatCompletions.WorkerTime(0, 0, 0, 0, 0, 0), b.workerTime(), "nothing ran yet");
      assertEquals(6, join(b.submit(request(prompt(12, 1), 41, 6))).outputIds().length, "runs to its budget");
      ChatCompletions.WorkerTime one = b.workerTime();
      assertEquals(1, one.firstPasses(), one.toString());
      assertTrue(one.admitting() > 0 && one.stepping() > 0 && one.sampling() > 0 && one.answering() > 0,
          "a first pass, 5 decoding steps with their sampling and an answer: " + one);
      join(b.submit(request(prompt(7, 2), 42, 6)));
      ChatCompletions.WorkerTime two = b.workerTime().since(one);
      assertEquals(1, two.firstPasses(), "only the second run's: " + two);
      assertTrue(two.stepping() > 0 && two.stepping() < b.workerTime().stepping(), two.toString());
    }
  }

  @Test
  void aFinishedSequenceLeavesTheBatchAtOnce() {
    Generator.Request longer = request(prompt(10, 3), 51, 40);
    Generator.Request shorter = request(prompt(15, 4), 52, 2);
    Map<Integer, Boolean> shortDone = new ConcurrentHashMap<>();
    List<CompletableFuture<Generator.Result>> futures = new ArrayList<>();
    try (StepBatcher b = new StepBatcher(model, tokenizer, 8, TimeUnit.MILLISECONDS.toNanos(200), step ->
        shortDone.put(step, futures.get(1).isDone()))) {
      futures.add(b.submit(longer));
      futures.add(b.submit(shorter)); // within the burst: both are read by one first pass
      Generator.Result l = join(futures.get(0));
      Generator.Result s = join(futures.get(1));
      assertTrue(l.outputIds().length > 3, "the longer sequence outlives the shorter");
      assertEquals(2, s.outputIds().length);
      assertTrue(shortDone.get(1), "the short sequence's future completed at the step that finished it");
      ChatCompletions.Statistics st = b.statistics();
      assertEquals(l.outputIds().length - 1, st.steps(), "one decoding step per token after the first");
      assertEquals(st.steps() + s.outputIds().length - 1, st.rows(), "the short sequence's row left after its last"
          + " token: " + st);
      assertEquals(2, st.largestBatch());
      assertEquals(0, st.joined(), "both were admitted together");
      assertSame(alone(longer), l, "the longer sequence");
      assertSame(alone(shorter), s, "the shorter sequence");
    }
  }

  @Test
  void sequencesOfEveryLengthJoiningAtDifferentStepsEachGetTheirTokensAloneAndLeaveNoArrays() {
    // prompts shorter and longer than the running batch's key columns, a group sharing an opening, and budgets that
    // end sequences while others join, so that both sides get padded, rows leave and leading columns are cut
    List<Generator.Request> requests = new ArrayList<>();
    int[] opening = prompt(20, 9);
    for (int i = 0; i < 9; i++) {
      int[] p = i >= 6 ? Arrays.copyOf(opening, 20 + i) : prompt(3 + 9 * i, 100 + i);
      if (i >= 6) {
        System.arraycopy(prompt(i, 200 + i), 0, p, 20, i);
      }
      requests.add(new Generator.Request(p, i % 3 == 2 ? new Sampling(0.7, 0, 0.9) : SAMPLED, 300 + i,
          4 + (i * 5) % 17, List.of(), null, i % 4 == 0 ? 3 : 0));
    }
    List<Generator.Result> expected = requests.stream().map(StepBatcherTest::alone).toList();

    BaseNDManager manager = (BaseNDManager) model.manager();
    int before = manager.getManagedArrays().size();
    Map<Integer, CompletableFuture<Generator.Result>> futures = new ConcurrentHashMap<>();
    StepBatcher[] holder = new StepBatcher[1];
    ChatCompletions.Statistics st;
    try (StepBatcher b = new StepBatcher(model, tokenizer, 16, 0, step -> {
      // sequence k (1..5) joins at step 2k; the three that share an opening join together at step 3
      if (step % 2 == 0 && step / 2 <= 5 && !futures.containsKey(step / 2)) {
        futures.put(step / 2, holder[0].submit(requests.get(step / 2)));
      }
      if (step == 3 && !futures.containsKey(6)) {
        for (int i = 6; i < 9; i++) {
          futures.put(i, holder[0].submit(requests.get(i)));
        }
      }
    })) {
      holder[0] = b;
      // the first sequence keeps the batch running while the others join
      futures.put(0, b.submit(new Generator.Request(requests.get(0).prompt(), SAMPLED, 300, 60, List.of(), null, 3)));
      join(futures.get(0));
      for (int i = 1; i < 9; i++) {
        assertNotNull(futures.get(i), "sequence " + i + " was submitted during the run");
        assertSame(expected.get(i), join(futures.get(i)), "sequence " + i);
      }
      st = b.statistics();
    }
    assertTrue(st.joined() >= 5, "sequences joined the running batch: " + st);
    assertEquals(before, manager.getManagedArrays().size(), "no array left behind");
  }

  @Test
  void aModelUpdateWaitingForTheWeightsGetsThemOnceTheRunningSequencesFinishWhileRequestsKeepArriving()
      throws Exception {
    int maxTokens = 5;
    try (LanguageModel updated = DjlLmFixtures.model(11, 96); LanguageModel before = DjlLmFixtures.model(11, 96)) {
      long first = updated.version();
      List<Generator.Request> submitted = new java.util.concurrent.CopyOnWriteArrayList<>();
      List<CompletableFuture<Generator.Result>> futures = new java.util.concurrent.CopyOnWriteArrayList<>();
      AtomicBoolean changed = new AtomicBoolean();
      java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
      java.util.concurrent.atomic.AtomicInteger waitingAtUpdate = new java.util.concurrent.atomic.AtomicInteger(-1);
      java.util.concurrent.atomic.AtomicInteger longestRunBefore = new java.util.concurrent.atomic.AtomicInteger();
      java.util.concurrent.atomic.AtomicInteger hookCalls = new java.util.concurrent.atomic.AtomicInteger();
      Thread writer = new Thread(() -> updated.update(() -> {
        // the batch worker is parked on the read lock here; count the requests that arrived and wait
        waitingAtUpdate.set((int) futures.stream().filter(f -> !f.isDone()).count());
        updated.parameters().forEach(p -> p.getValue().getArray().muli(0.9f));
        changed.set(true);
        done.countDown();
      }), "writer");
      StepBatcher[] holder = new StepBatcher[1];
      try (StepBatcher b = new StepBatcher(updated, tokenizer, 16, 0, step -> {
        // on the worker after every decoding step: a new request arrives at every step until the update is done
        // (at most 300 steps, so that a batcher that never stops admitting fails below instead of running forever)
        if (!changed.get()) {
          longestRunBefore.accumulateAndGet(step, Math::max);
          if (step == 1 && !writer.isAlive()) {
            writer.start();
            while (writer.getState() != Thread.State.WAITING) { // the writer waits for the run's read lock
              assertTrue(writer.isAlive(), "the writer ended without waiting for the running batch");
              Thread.onSpinWait();
            }
          }
          if (hookCalls.incrementAndGet() <= 300) {
            int i = submitted.size();
            Generator.Request r = request(prompt(6 + i % 5, 500 + i), 600 + i, maxTokens);
            submitted.add(r);
            futures.add(holder[0].submit(r));
          }
        }
      })) {
        holder[0] = b;
        Generator.Request opening = request(prompt(9, 499), 599, maxTokens);
        submitted.add(opening);
        futures.add(b.submit(opening));
        assertTrue(done.await(120, TimeUnit.SECONDS), "the writer got the weights lock");
        // the writer waits from step 1 on: nothing is admitted after it, so the run ends when the sequences it holds
        // (each of at most maxTokens tokens, the first from the first pass) finish
        assertTrue(longestRunBefore.get() <= 1 + maxTokens, "the run that held the lock stopped admitting when the "
            + "writer began to wait and ended within one sequence's tokens: " + longestRunBefore.get() + " steps");
        assertTrue(waitingAtUpdate.get() >= 1, "requests kept arriving and waited while the writer held the lock");
        List<Generator.Result> results = futures.stream().map(StepBatcherTest::join).toList();
        Generator newModel = new Generator(updated, tokenizer);
        Generator oldModel = new Generator(before, tokenizer);
        int after = 0;
        for (int i = 0; i < results.size(); i++) {
          Generator.Result r = results.get(i);
          Generator.Request q = submitted.get(i);
          if (r.policyVersion() == first + 1) {
            after++;
            assertSame(newModel.generate(List.of(q)).get(0), r, "request " + i + " admitted after the update");
            assertFalse(Arrays.equals(oldModel.generate(List.of(q)).get(0).logProbs(), r.logProbs()),
                "request " + i + " would have scored differently under the old weights");
          } else {
            assertEquals(first, r.policyVersion(), "request " + i + " ran under one of the two versions");
            assertSame(oldModel.generate(List.of(q)).get(0), r, "request " + i + " admitted before the update");
          }
        }
        assertEquals(waitingAtUpdate.get(), after, "the requests that waited for the update ran under it");
      }
    }
  }

  @Test
  void aPromptThatCannotFitFailsAloneAndClosingFailsWhatWaits() {
    try (StepBatcher b = new StepBatcher(model, tokenizer, 4, 0, null)) {
      CompletableFuture<Generator.Result> bad = b.submit(request(prompt(5, 1), 1, 96));
      CompletableFuture<Generator.Result> good = b.submit(request(prompt(5, 2), 2, 3));
      CompletionException e = assertThrows(CompletionException.class, () -> join(bad));
      assertTrue(e.getCause().getMessage().contains("must be below the context (96)"), e.getCause().getMessage());
      assertFalse(join(good).text() == null);
      b.close();
      CompletionException closed = assertThrows(CompletionException.class, () -> join(b.submit(request(prompt(5, 3),
          3, 3))));
      assertTrue(closed.getCause().getMessage().contains("closing"), closed.getCause().getMessage());
    }
  }
}
