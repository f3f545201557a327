package dev.ludus.simulators.questions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CatalogueTest {

  @Test
  void everyPairOfItems_isToldApartBySomeQuestion() {
    List<Item> items = Catalogue.items();
    List<String> twins = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      for (int j = i + 1; j < items.size(); j++) {
        Item a = items.get(i);
        Item b = items.get(j);
        if (Question.all().stream().noneMatch(q -> q.test(a) != q.test(b))) {
          twins.add(a.name() + "/" + b.name());
        }
      }
    }
    assertEquals(List.of(), twins, "pairs no question tells apart");
  }

  @Test
  void catalogue_hasBetween40And80UniquelyNamedItems() {
    int n = Catalogue.size();
    assertTrue(n >= 40 && n <= 80, "size " + n);
    Set<String> names = new HashSet<>();
    Catalogue.items().forEach(it -> assertTrue(names.add(it.name()), "duplicate " + it.name()));
  }

  @Test
  void everyAskableValue_isHeldBySomeItemAndMissedBySome() {
    for (Question q : Question.all()) {
      long yes = Catalogue.items().stream().filter(q::test).count();
      assertTrue(yes > 0 && yes < Catalogue.size(), q.text() + " answers yes for " + yes + " items");
    }
  }

  @Test
  void playOrder_isAPermutationThatTakesTheCategoriesInTurn() {
    assertEquals(new HashSet<>(Catalogue.items()), new HashSet<>(Catalogue.playOrder()));
    Set<Item.Category> firstEight = new HashSet<>();
    Catalogue.playOrder().subList(0, 8).forEach(it -> firstEight.add(it.category()));
    assertEquals(Item.Category.values().length, firstEight.size());
  }

  @Test
  void pool_keepsTheCategoriesAndTheCount() {
    List<Item> pool = Catalogue.pool(List.of("fruit", "Tool"), 10);
    assertEquals(10, pool.size());
    assertTrue(pool.stream().allMatch(it -> it.category() == Item.Category.FRUIT || it.category() == Item.Category.TOOL));
    assertEquals(Catalogue.size(), Catalogue.pool(List.of(), 1000).size());
  }

  @Test
  void pool_unknownCategory_namesItAndTheAllowedOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Catalogue.pool(List.of("planet"), 5));
    assertTrue(e.getMessage().contains("'planet'") && e.getMessage().contains("animal, fruit"), e.getMessage());
  }

  @Test
  void find_readsNamesAndAliasesIgnoringCase() {
    assertEquals("bicycle", Catalogue.find(" Bike ").orElseThrow().name());
    assertEquals("zebra", Catalogue.find("zebra").orElseThrow().name());
    assertTrue(Catalogue.find("unicorn").isEmpty());
  }

  @Test
  void attributeValues_areInTheDomainOrNone() {
    for (Attribute a : Attribute.values()) {
      for (Item it : Catalogue.items()) {
        String v = a.of(it);
        assertTrue(a.domain().contains(v) || v.equals(Attribute.NONE) || v.equals("no"),
            a + " of " + it.name() + " = " + v);
      }
    }
  }

  @Test
  void question_invalidValue_namesTheAllowedOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Question.is(Attribute.COLOR, "teal"));
    assertTrue(e.getMessage().contains("'teal'") && e.getMessage().contains("red"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new Question(Attribute.COLOR, Question.Relation.MORE_THAN, "red"));
    assertThrows(IllegalArgumentException.class,
        () -> new Question(Attribute.SIZE, Question.Relation.MORE_THAN, "large"));
    assertThrows(IllegalArgumentException.class,
        () -> new Question(Attribute.LEGS, Question.Relation.LESS_THAN, "0"));
  }

  @Test
  void candidates_entropyIsLog2OfTheCount() {
    Candidates all = new Candidates(Catalogue.items());
    assertEquals(Math.log(Catalogue.size()) / Math.log(2), all.entropyBits(), 1e-12);
    assertEquals(0.0, new Candidates(Catalogue.items().subList(0, 1)).entropyBits());
    assertEquals(1.0, new Candidates(Catalogue.items().subList(0, 2)).entropyBits(), 1e-12);
    Question animal = Question.is(Attribute.CATEGORY, "animal");
    double p = (double) all.yesCount(animal) / all.count();
    double h = -p * Math.log(p) / Math.log(2) - (1 - p) * Math.log(1 - p) / Math.log(2);
    assertEquals(h, all.expectedGainBits(animal), 1e-12);
  }
}
