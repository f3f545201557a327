package dev.ludus.agents.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;

class WeightsLockTest {

  /** Waits until {@code t} is parked on a lock (it cannot go on), however long that takes. */
  private static void awaitBlocked(Thread t) {
    while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
      assertTrue(t.isAlive(), "the thread ended instead of waiting");
      Thread.onSpinWait();
    }
  }

  @Test
  void updateRunsTheChangeAndReturnsTheNextVersion() {
    WeightsLock lock = new WeightsLock(5);
    AtomicInteger changes = new AtomicInteger();
    assertEquals(6, lock.update(changes::incrementAndGet));
    assertEquals(7, lock.update(changes::incrementAndGet));
    assertEquals(7, lock.version());
    assertEquals(2, changes.get());
  }

  @Test
  void anUpdateWaitsForARunningReader() throws InterruptedException {
    WeightsLock lock = new WeightsLock(0);
    AtomicInteger changes = new AtomicInteger();
    Lock read = lock.read();
    Thread writer = new Thread(() -> lock.update(changes::incrementAndGet));
    writer.start();
    awaitBlocked(writer);
    assertEquals(0, changes.get(), "the weights did not change under the reader");
    assertEquals(0, lock.version());
    read.unlock();
    writer.join();
    assertEquals(1, changes.get());
    assertEquals(1, lock.version());
  }

  @Test
  void closeWaitsForARunningReaderThenReleasesOnce() throws InterruptedException {
    WeightsLock lock = new WeightsLock(0);
    AtomicInteger releases = new AtomicInteger();
    Lock read = lock.read();
    Thread closer = new Thread(() -> lock.close(releases::incrementAndGet));
    closer.start();
    awaitBlocked(closer);
    assertEquals(0, releases.get(), "the weights are not released under a reader");
    read.unlock();
    closer.join();
    lock.close(releases::incrementAndGet);
    assertEquals(1, releases.get(), "closing again releases nothing");
  }

  @Test
  void aClosedLockRefusesReadersAndUpdates() {
    WeightsLock lock = new WeightsLock(3);
    lock.close(() -> { });
    assertEquals("language model is closed", assertThrows(IllegalStateException.class, lock::read).getMessage());
    assertThrows(IllegalStateException.class, () -> lock.update(() -> { }));
    assertEquals(3, lock.version());
  }
}
