package dev.ludus.agents.openai.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FaultMixTest {

  @Test
  void theMixIsTheOneSpecifiedBySeedAndIndex() {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 100_000; i++) {
      counts.merge(FaultMix.category(7, i), 1, Integer::sum);
    }
    assertEquals(60_000, counts.get("ok"), 1_000);
    assertEquals(10_000, counts.get("500"), 600);
    assertEquals(10_000, counts.get("429"), 600);
    assertEquals(5_000, counts.get("malformed-json"), 500);
    assertEquals(5_000, counts.get("truncated-body"), 500);
    assertEquals(2_000, counts.get("hang"), 300);
    assertEquals(8_000, counts.get("tool-call"), 600);
    assertEquals(FaultMix.category(7, 42), FaultMix.category(7, 42));
  }

  @Test
  void theScheduleCountsEveryRequestByItsCategory() {
    FaultMix mix = new FaultMix(3, "1");
    for (int i = 0; i < 1_000; i++) {
      mix.faults().faultFor(i);
    }
    assertEquals(1_000, mix.served().values().stream().mapToLong(Long::longValue).sum());
    assertEquals(mix.served().get("hang"), (Long) (long) java.util.stream.IntStream.range(0, 1_000)
        .filter(i -> FaultMix.category(3, i).equals("hang")).count());
  }
}
