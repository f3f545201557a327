package dev.ludus.api.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class BatcherTest {

  /** A batch function that doubles, records each batch's size, and holds the first batch until released. */
  private static final class Gate implements Function<List<Integer>, List<Integer>> {
    final CountDownLatch firstStarted = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
    final AtomicReference<String> thread = new AtomicReference<>();

    @Override
    public List<Integer> apply(List<Integer> items) {
      thread.set(Thread.currentThread().getName());
      sizes.add(items.size());
      firstStarted.countDown();
      try {
        if (!release.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("never released");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      return items.stream().map(i -> 2 * i).toList();
    }
  }

  private static <T> T get(java.util.concurrent.CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void itemsQueuedWhileABatchRunsAreGatheredIntoBatchesOfAtMostMaxBatch() throws Exception {
    Gate gate = new Gate();
    try (Batcher<Integer, Integer> b = Batcher.builder("test-batcher", gate).maxBatch(4).maxWait(Duration.ZERO).build()) {
      List<CompletableFuture<Integer>> out = new ArrayList<>();
      out.add(b.submit(0).toCompletableFuture());
      assertTrue(gate.firstStarted.await(30, TimeUnit.SECONDS));
      for (int i = 1; i < 10; i++) {
        out.add(b.submit(i).toCompletableFuture());
      }
      gate.release.countDown();
      for (int i = 0; i < 10; i++) {
        assertEquals(2 * i, out.get(i).get(30, TimeUnit.SECONDS));
      }
      assertEquals(List.of(1, 4, 4, 1), gate.sizes);
      Batcher.Statistics s = b.statistics();
      assertEquals(new Batcher.Statistics(4, 10, 4), s);
      assertEquals(2.5, s.meanBatchSize(), 1e-12);
    }
  }

  @Test
  void aBatchWaitsUpToMaxWaitForMoreItemsAndRunsAsSoonAsItIsFull() throws Exception {
    List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
    try (Batcher<Integer, Integer> b = Batcher.<Integer, Integer>builder("waiting", items -> {
      sizes.add(items.size());
      return items;
    }).maxBatch(3).maxWait(Duration.ofSeconds(30)).build()) {
      long start = System.nanoTime();
      var first = b.submit(1);
      Thread.sleep(20);
      var second = b.submit(2);
      var third = b.submit(3);
      assertEquals(List.of(1, 2, 3), List.of(get(first), get(second), get(third)));
      assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20), "a full batch must not wait for maxWait");
      assertEquals(List.of(3), sizes);
    }
  }

  @Test
  void resultsCompleteOnTheBatchersOwnThreadNamedAfterIt() throws Exception {
    Gate gate = new Gate();
    try (Batcher<Integer, Integer> b = Batcher.builder("scorer", gate).maxWait(Duration.ZERO).build()) {
      CompletableFuture<String> on = new CompletableFuture<>();
      // registered while the batch is held, so the continuation runs where the result is completed
      b.submit(8).thenRun(() -> on.complete(Thread.currentThread().getName()));
      gate.release.countDown();
      String thread = on.get(30, TimeUnit.SECONDS);
      assertTrue(thread.startsWith("scorer-"), "completed on " + thread);
      assertEquals(thread, gate.thread.get(), "the batch ran on the same thread");
      assertNotEquals(Thread.currentThread().getName(), thread);
      assertEquals("scorer", b.name());
    }
  }

  @Test
  void closeFailsQueuedItemsNamingTheBatcherAndLetsTheRunningBatchFinish() throws Exception {
    Gate gate = new Gate();
    Batcher<Integer, Integer> b = Batcher.builder("closing", gate).maxBatch(8).maxWait(Duration.ZERO).build();
    CompletableFuture<Integer> running = b.submit(1).toCompletableFuture();
    assertTrue(gate.firstStarted.await(30, TimeUnit.SECONDS));
    CompletableFuture<Integer> queued = b.submit(2).toCompletableFuture();
    CompletableFuture<Void> closing = CompletableFuture.runAsync(b::close);
    CompletionException e = assertThrows(CompletionException.class, () -> queued.orTimeout(30, TimeUnit.SECONDS).join());
    assertInstanceOf(IllegalStateException.class, e.getCause());
    assertEquals("batcher 'closing' is closed", e.getCause().getMessage());
    Thread.sleep(50);
    assertFalse(closing.isDone(), "close waits for the running batch");
    gate.release.countDown();
    assertEquals(2, running.get(30, TimeUnit.SECONDS));
    closing.get(30, TimeUnit.SECONDS);
    CompletableFuture<Integer> late = b.submit(3).toCompletableFuture();
    assertEquals("batcher 'closing' is closed",
        assertThrows(CompletionException.class, late::join).getCause().getMessage());
    b.close();
  }

  @Test
  void aBatchThatThrowsOrMiscountsFailsOnlyItsOwnItems() throws Exception {
    try (Batcher<Integer, Integer> b = Batcher.<Integer, Integer>builder("picky", items -> {
      if (items.contains(13)) {
        throw new IllegalArgumentException("unlucky");
      }
      if (items.contains(7)) {
        return List.of();
      }
      return items;
    }).maxBatch(1).build()) {
      var unlucky = b.submit(13).toCompletableFuture();
      var miscounted = b.submit(7).toCompletableFuture();
      var fine = b.submit(5);
      assertEquals(5, get(fine));
      assertEquals("unlucky", assertThrows(CompletionException.class, unlucky::join).getCause().getMessage());
      assertEquals("batcher 'picky': the batch function returned 0 results for 1 items",
          assertThrows(CompletionException.class, miscounted::join).getCause().getMessage());
    }
  }

  @Test
  void aBatchFunctionThatClosesItsBatcherDoesNotDeadlock() throws Exception {
    AtomicReference<Batcher<Integer, Integer>> self = new AtomicReference<>();
    self.set(Batcher.<Integer, Integer>builder("self-closing", items -> {
      self.get().close();
      return items;
    }).build());
    assertEquals(4, get(self.get().submit(4)));
  }

  @Test
  void onAGivenExecutorBatchesNeverOverlapAndEveryItemGetsItsOwnResult() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    ExecutorService submitters = Executors.newFixedThreadPool(4);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger overlapped = new AtomicInteger();
    try (Batcher<Integer, Integer> b = Batcher.<Integer, Integer>builder("pooled", items -> {
      if (running.incrementAndGet() > 1) {
        overlapped.incrementAndGet();
      }
      List<Integer> out = items.stream().map(i -> i + 1_000).toList();
      running.decrementAndGet();
      return out;
    }).maxBatch(16).maxWait(Duration.ofMillis(1)).executor(pool).build()) {
      List<CompletableFuture<CompletableFuture<Integer>>> submitted = new ArrayList<>();
      for (int i = 0; i < 2_000; i++) {
        int item = i;
        submitted.add(CompletableFuture.supplyAsync(() -> b.submit(item).toCompletableFuture(), submitters));
      }
      for (int i = 0; i < submitted.size(); i++) {
        assertEquals(i + 1_000, submitted.get(i).get(30, TimeUnit.SECONDS).get(30, TimeUnit.SECONDS));
      }
      assertEquals(0, overlapped.get());
      Batcher.Statistics s = b.statistics();
      assertEquals(2_000, s.items());
      assertTrue(s.largestBatch() <= 16);
    } finally {
      pool.shutdownNow();
      submitters.shutdownNow();
    }
  }

  @Property(tries = 30)
  void submitAllAnswersEveryItemInOrderInBatchesNoLargerThanMaxBatch(@ForAll @IntRange(min = 0, max = 200) int n,
      @ForAll @IntRange(min = 1, max = 40) int maxBatch) throws Exception {
    List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
    try (Batcher<Integer, String> b = Batcher.<Integer, String>builder("all", items -> {
      sizes.add(items.size());
      return items.stream().map(i -> "#" + i).toList();
    }).maxBatch(maxBatch).maxWait(Duration.ofMillis(1)).build()) {
      List<Integer> items = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        items.add(i);
      }
      List<String> out = get(b.submitAll(items));
      assertEquals(items.stream().map(i -> "#" + i).toList(), out);
      assertEquals(n, sizes.stream().mapToInt(Integer::intValue).sum());
      assertTrue(sizes.stream().allMatch(s -> s >= 1 && s <= maxBatch), "sizes " + sizes);
      assertEquals(sizes.size(), b.statistics().batches());
    }
  }

  @Test
  void theBuilderRefusesBadValuesNamingThem() {
    Function<List<Integer>, List<Integer>> id = items -> items;
    assertEquals("maxBatch must be at least 1, was 0",
        assertThrows(IllegalArgumentException.class, () -> Batcher.builder("x", id).maxBatch(0)).getMessage());
    assertEquals("maxWait must be zero or more, was PT-0.001S",
        assertThrows(IllegalArgumentException.class, () -> Batcher.builder("x", id).maxWait(Duration.ofMillis(-1)))
            .getMessage());
    assertEquals("a batcher needs a name (its thread's name), was ' '",
        assertThrows(IllegalArgumentException.class, () -> Batcher.builder(" ", id)).getMessage());
  }
}
