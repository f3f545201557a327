package dev.ludus.agents.openai;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Where requests wait while an endpoint's circuit breaker is open, instead of failing.
 *
 * <p><b>Design note.</b> A request that meets the open circuit {@linkplain #park parks} here with a deadline
 * and sends nothing. When the breaker half-opens, one waiting request is let go as the trial (the breaker lets
 * one request through in that state; the others would be refused again, and if a new request took the trial
 * first, the one let go simply parks again); when the breaker closes, every waiting request is let go, in the
 * order they came (the endpoint's concurrency cap still bounds what reaches the server). A request whose
 * deadline passes first is expired. The breaker's handlers call {@link #halfOpened()}, {@link #opened()} and
 * {@link #closed()}; since a transition can fall between a request's refusal and its parking, parking looks at
 * the breaker's state again and lets itself go when the circuit is no longer open.
 *
 * <p>Thread-safety: thread-safe; nothing here blocks, and waiting requests resume on {@code vertx}'s event
 * loops. Life-cycle: {@link #expireAll()} ends every wait (the client calls it when it closes).
 */
final class BreakerGate {
  private final Vertx vertx;
  private final CircuitBreaker breaker;
  private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
  /** The breaker half-opened and no waiting request was let go as its trial yet. */
  private final AtomicBoolean trialAvailable = new AtomicBoolean();
  private long parked;
  private int maxWaiting;

  BreakerGate(Vertx vertx, CircuitBreaker breaker) {
    this.vertx = vertx;
    this.breaker = breaker;
  }

  /**
   * Waits for the circuit to half-open or close, then runs {@code resume}; runs {@code expire} instead when
   * {@code maxWaitMillis} pass first. Exactly one of the two runs, once, on an event loop.
   */
  void park(long maxWaitMillis, Runnable resume, Runnable expire) {
    Waiter w = new Waiter(resume);
    w.timer = vertx.setTimer(Math.max(1, maxWaitMillis), t -> {
      if (w.claim()) {
        synchronized (this) {
          waiting.remove(w);
        }
        expire.run();
      }
    });
    synchronized (this) {
      waiting.addLast(w);
      parked++;
      maxWaiting = Math.max(maxWaiting, waiting.size());
    }
    dispatch();
  }

  /** The breaker half-opened: one waiting request may be its trial. */
  void halfOpened() {
    trialAvailable.set(true);
    dispatch();
  }

  /** The breaker opened (again): no trial until it half-opens. */
  void opened() {
    trialAvailable.set(false);
  }

  /** The breaker closed: every waiting request goes on. */
  void closed() {
    trialAvailable.set(false);
    dispatch();
  }

  /** Expires every waiting request now. */
  void expireAll() {
    List<Waiter> all;
    synchronized (this) {
      all = new ArrayList<>(waiting);
      waiting.clear();
    }
    for (Waiter w : all) {
      if (w.claim()) {
        vertx.cancelTimer(w.timer);
        w.resume.run(); // resuming on a closed client answers "closed"
      }
    }
  }

  /** Requests waiting now. */
  synchronized int waiting() {
    return waiting.size();
  }

  /** Requests that waited so far (a request that waited twice counts twice). */
  synchronized long parked() {
    return parked;
  }

  /** The most requests waiting at once. */
  synchronized int maxWaiting() {
    return maxWaiting;
  }

  private void dispatch() {
    CircuitBreakerState state = breaker.state();
    List<Waiter> go = new ArrayList<>();
    synchronized (this) {
      if (state == CircuitBreakerState.CLOSED) {
        go.addAll(waiting);
        waiting.clear();
      } else if (state == CircuitBreakerState.HALF_OPEN && !waiting.isEmpty() && trialAvailable.compareAndSet(true, false)) {
        go.add(waiting.pollFirst());
      }
    }
    for (Waiter w : go) {
      if (w.claim()) {
        vertx.cancelTimer(w.timer);
        vertx.runOnContext(v -> w.resume.run());
      }
    }
  }

  private static final class Waiter {
    final Runnable resume;
    final AtomicBoolean done = new AtomicBoolean();
    long timer;

    Waiter(Runnable resume) {
      this.resume = resume;
    }

    boolean claim() {
      return done.compareAndSet(false, true);
    }
  }
}
