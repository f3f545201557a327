package dev.ludus.shaping.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ludus.api.Episode;
import dev.ludus.api.Signals;
import dev.ludus.shaping.testing.EpisodeBuilder;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.constraints.WithNull;

class SubgoalShaperProperties {

  @Property(tries = 300)
  void theReturnIsTheBonusTimesTheNumberOfDistinctSubgoalsAndRepeatsEarnNothing(
      @ForAll @Size(max = 20)
          List<@WithNull(0.3) @StringLength(min = 1, max = 2) @Chars({'a', 'b', 'c'}) String> reached,
      @ForAll @DoubleRange(min = -5, max = 5) double bonus) {
    Episode e = episode(reached);

    double[] r = SignalFixtures.values(
        new SubgoalShaperProvider().create(new SubgoalShaperProvider.Config(bonus, List.of())), e, "subgoal");

    Set<String> seen = new HashSet<>();
    for (int t = 0; t < reached.size(); t++) {
      String g = reached.get(t);
      assertEquals(g != null && seen.add(g) ? bonus : 0.0, r[t], 0.0, "turn " + t + " reached " + g);
    }
    assertEquals(bonus * seen.size(), SignalFixtures.sum(r), 1e-9);
  }

  @Property(tries = 300)
  void withAListOnlyTheListedSubgoalsPayOnceEach(
      @ForAll @Size(max = 20)
          List<@WithNull(0.3) @StringLength(min = 1, max = 1) @Chars({'a', 'b', 'c', 'd'}) String> reached,
      @ForAll @Size(max = 3) Set<@StringLength(min = 1, max = 1) @Chars({'a', 'b', 'c', 'd'}) String> listed) {
    Episode e = episode(reached);

    double[] r = SignalFixtures.values(new SubgoalShaperProvider().create(
        new SubgoalShaperProvider.Config(1.0, List.copyOf(listed))), e, "subgoal");

    Set<String> distinct = new HashSet<>(reached);
    distinct.remove(null);
    if (!listed.isEmpty()) {
      distinct.retainAll(listed);
    }
    assertEquals(distinct.size(), SignalFixtures.sum(r), 1e-9);
  }

  private static Episode episode(List<String> reached) {
    EpisodeBuilder b = EpisodeBuilder.on("task");
    for (String g : reached) {
      b.turn("act", 0.0, g == null ? Signals.empty() : SignalFixtures.text("subgoal", g));
    }
    return b.build();
  }
}
