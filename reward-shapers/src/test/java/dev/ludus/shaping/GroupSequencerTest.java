package dev.ludus.shaping;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class GroupSequencerTest {

  @Test
  void aLaterTicketReadyFirstWaitsForTheEarlierOne() {
    GroupSequencer s = new GroupSequencer();
    long first = s.ticket();
    long second = s.ticket();
    List<Long> ran = new ArrayList<>();
    s.run(second, () -> ran.add(second));
    assertEquals(List.of(), ran);
    assertEquals(1, s.parked());
    s.run(first, () -> ran.add(first));
    assertEquals(List.of(first, second), ran);
    assertEquals(0, s.parked());
  }

  @Property(tries = 40)
  void stagesReadiedInAnyOrderFromManyThreadsRunInTicketOrderOneAtATime(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 300) int n) throws Exception {
    GroupSequencer s = new GroupSequencer();
    List<Long> tickets = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      tickets.add(s.ticket());
    }
    Collections.shuffle(tickets, new Random(seed));
    List<Long> ran = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(n);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (long t : tickets) {
        pool.execute(() -> s.run(t, () -> {
          if (inside.incrementAndGet() > 1) {
            overlaps.incrementAndGet();
          }
          ran.add(t);
          inside.decrementAndGet();
          done.countDown();
        }));
      }
      done.await(30, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    List<Long> expected = new ArrayList<>(tickets);
    Collections.sort(expected);
    assertEquals(expected, ran);
    assertEquals(0, overlaps.get());
    assertEquals(0, s.parked());
  }
}
