package dev.ludus.shaping.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ludus.api.Episode;
import dev.ludus.api.Message;
import dev.ludus.api.Signals;
import dev.ludus.shaping.testing.EpisodeBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

class CountDecayShaperProperties {

  @Property(tries = 300)
  void theKthOccurrenceOfAnEventEarnsTheFirstsRewardOverKToTheBeta(
      @ForAll @Size(max = 20) List<@StringLength(min = 1, max = 1) @Chars({'x', 'y', 'z'}) String> events,
      @ForAll @DoubleRange(min = 0, max = 6) double beta,
      @ForAll @DoubleRange(min = -2, max = 2) double coefficient) {
    EpisodeBuilder b = EpisodeBuilder.on("task");
    for (String m : events) {
      b.turn(Message.assistant("act"), 0.0, Signals.empty(), List.of(Message.user("you see " + m)));
    }
    Episode e = b.build();

    double[] r = SignalFixtures.values(new CountDecayShaperProvider().create(
        new CountDecayShaperProvider.Config("observation", beta, coefficient, null)), e, "count-decay");

    Map<String, Integer> seen = new HashMap<>();
    for (int t = 0; t < events.size(); t++) {
      int k = seen.merge(events.get(t), 1, Integer::sum);
      assertEquals(coefficient / Math.pow(k, beta), r[t], 1e-12, "turn " + t);
      if (k == 2) {
        assertEquals(coefficient / Math.pow(2, beta), r[t], 1e-12, "a second occurrence earns 1/2^β of the first");
      }
    }
  }
}
