package dev.ludus.environments.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.environments.search.World.Entity;
import dev.ludus.environments.search.World.Relation;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class WorldGeneratorTest {
  @Test
  void theSameSpecGivesTheSameWorldAndAnotherSeedAnotherOne() {
    WorldSpec spec = WorldSpec.defaults();
    assertEquals(WorldGenerator.generate(spec).passages(), WorldGenerator.generate(spec).passages());
    WorldSpec other = new WorldSpec(1, 20, 24, 120, 80, 0.3);
    assertTrue(!WorldGenerator.generate(spec).passages().equals(WorldGenerator.generate(other).passages()));
    assertEquals(spec.passages(), WorldGenerator.generate(spec).passages().size());
  }

  @Property(tries = 20)
  void everyRelationIsStatedInItsOwnSentenceNamingBothEnds(@ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
    World w = WorldGenerator.generate(new WorldSpec(seed, 6, 6, 30, 20, 0.3));
    Set<String> titles = new HashSet<>();
    for (Entity e : w.entities()) {
      Passage p = w.passage(e);
      assertEquals(e.name(), p.title());
      assertTrue(titles.add(p.title()), "titles are unique: " + p.title());
      assertTrue(p.contents().startsWith("\"" + e.name() + "\"\n"));
      Set<Integer> used = new HashSet<>();
      for (Relation r : e.facts().keySet()) {
        int s = e.sentenceOf().get(r);
        assertTrue(used.add(s), "one fact per sentence");
        String sentence = p.sentences().get(s);
        assertTrue(sentence.contains(e.name()) && sentence.contains(w.text(e.facts().get(r))), sentence);
      }
    }
  }

  @Test
  void aShareOfNamesAreNearDuplicatesSharingAToken() {
    World w = WorldGenerator.generate(WorldSpec.defaults());
    int sharing = 0;
    for (Entity a : w.entities()) {
      for (Entity b : w.entities()) {
        if (a.id() < b.id() && a.kind() == b.kind() && !a.name().equals(b.name())) {
          Set<String> ta = new HashSet<>(Arrays.asList(a.name().split(" ")));
          ta.retainAll(List.of(b.name().split(" ")));
          ta.removeAll(Set.of("The", "of", "to"));
          sharing += ta.isEmpty() ? 0 : 1;
        }
      }
    }
    assertTrue(sharing >= 40, sharing + " pairs of entities share a name token");
  }

  @Test
  void aLargerWorldHasUniqueTitlesToo() { // the 100,000-passage one is the benchmark's (ludus bench search)
    World w = WorldGenerator.generate(WorldSpec.ofPassages(0, 5_000));
    assertEquals(5_000, w.passages().size());
    assertEquals(5_000, w.passages().stream().map(Passage::title).distinct().count());
  }
}
