package dev.ludus.agents.djl;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The concurrency discipline of one model's weights: a read-write lock, the policy version and whether the weights
 * are released. Readers (forward passes, log-probs, a whole batched generation, saving, copying) hold the read lock,
 * many at once; an {@linkplain #update update} holds the write lock while it changes the weights and then bumps the
 * version, so a reader never sees half-updated weights and one reply never mixes two policies; {@link #close} waits
 * for running readers, then releases the weights once.
 *
 * <p>Thread-safe. The owner of the weights ({@link LanguageModel}) creates one and closes it.
 */
final class WeightsLock {
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong version;

  /** A lock for weights of policy version {@code version} (0 for new weights, the saved one for loaded weights). */
  WeightsLock(long version) {
    this.version = new AtomicLong(version);
  }

  /** The policy version: the first one plus one per {@link #update}. */
  long version() {
    return version.get();
  }

  /**
   * Takes the read lock, which the caller unlocks.
   *
   * @throws IllegalStateException if the weights are released
   */
  Lock read() {
    ensureOpen();
    Lock read = lock.readLock();
    read.lock();
    if (closed.get()) {
      read.unlock();
      throw new IllegalStateException("language model is closed");
    }
    return read;
  }

  /**
   * Whether a thread waits for the lock: held by a reader, that is an update (or a reader queued behind one), so a
   * long reader such as the serving batch stops taking on work and lets it in.
   */
  boolean contended() {
    return lock.hasQueuedThreads();
  }

  /**
   * Runs {@code change} exclusively (after running readers, before new ones) with autograd off, then increments the
   * version and returns it.
   *
   * @throws IllegalStateException if the weights are released
   */
  long update(Runnable change) {
    ensureOpen();
    lock.writeLock().lock();
    try {
      DjlRuntime.runWithoutGrad(change);
      return version.incrementAndGet();
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** The first call waits for running readers and runs {@code release} exclusively; later calls do nothing. */
  void close(Runnable release) {
    if (closed.compareAndSet(false, true)) {
      lock.writeLock().lock();
      try {
        release.run();
      } finally {
        lock.writeLock().unlock();
      }
    }
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException("language model is closed");
    }
  }
}
