package dev.ludus.shaping;

import java.util.HashMap;
import java.util.Map;

/**
 * Runs one stage per ticket, strictly in ticket order, whatever order the stages become ready in: how the
 * shaping pipeline keeps transforms and combiners that hold state across groups ({@code running-norm},
 * {@code lagrangian}, {@code calibrated}, {@code hypervolume-weight}, a user's own) deterministic when
 * asynchronous shapers answer out of order.
 *
 * <p>Design: a group takes a ticket when it is submitted ({@link #ticket}); when its shapers have all
 * answered it hands its stage to {@link #run}. The stage of the head ticket runs at once; a later one is
 * parked until every earlier ticket's stage has run. Whichever thread makes the head ready drains every
 * parked stage that has become runnable, one after another, outside the lock; a stage that arrives while
 * another thread drains is left to that thread. So stages never overlap and never run out of order, no
 * thread waits for another, and the parked map holds at most the groups submitted after a slow one. Every
 * ticket must eventually reach {@link #run} (the pipeline bounds each shaper by its timeout and catches
 * every failure), or the tickets after it would wait for ever.
 *
 * <p>Thread-safe. Stages must not throw; they record their own failures.
 */
final class GroupSequencer {
  private final Map<Long, Runnable> parked = new HashMap<>();
  private long issued;
  private long head;
  private boolean draining;

  /** The next ticket: the position of a group in the order of submission. */
  synchronized long ticket() {
    return issued++;
  }

  /** Runs {@code stage} once every earlier ticket's stage has run (maybe now, on this thread). */
  void run(long ticket, Runnable stage) {
    synchronized (this) {
      parked.put(ticket, stage);
      if (draining) {
        return;
      }
      draining = true;
    }
    while (true) {
      Runnable next;
      synchronized (this) {
        next = parked.remove(head);
        if (next == null) {
          draining = false;
          return;
        }
        head++;
      }
      next.run();
    }
  }

  /** Stages waiting for an earlier ticket (for tests). */
  synchronized int parked() {
    return parked.size();
  }
}
