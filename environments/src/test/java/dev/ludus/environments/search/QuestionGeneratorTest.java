package dev.ludus.environments.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

class QuestionGeneratorTest {
  static final SearchData DATA = SearchData.generated(WorldSpec.defaults());

  @Property(tries = 300)
  void everyQuestionsSupportingFactsAreSentencesOfItsGoldPassagesAndTheLastHoldsTheAnswer(
      @ForAll @LongRange(min = Long.MIN_VALUE, max = Long.MAX_VALUE) long seed) {
    QaTask t = new QuestionGenerator(DATA.world()).draw(QuestionGenerator.TYPES, seed);
    for (QaTask.Turn turn : t.turns()) {
      List<QaTask.Fact> facts = turn.supportingFacts();
      assertTrue(!facts.isEmpty());
      for (QaTask.Fact f : facts) {
        int p = DATA.passageIndex(f.title());
        assertTrue(p >= 0 && f.sentence() < DATA.corpus().get(p).sentences().size(), f.toString());
      }
      String answer = turn.answers().get(0);
      if (t.type().contains("comparison")) {
        assertTrue(turn.question().contains(answer), "a comparison's answer is one of its two names");
      } else {
        QaTask.Fact last = facts.get(facts.size() - 1);
        String sentence = DATA.corpus().get(DATA.passageIndex(last.title())).sentences().get(last.sentence());
        assertTrue(sentence.contains(answer), sentence + " / " + answer);
      }
    }
  }

  @Property(tries = 50)
  void theSameSeedGivesTheSameTask(@ForAll long seed) {
    QuestionGenerator g = new QuestionGenerator(DATA.world());
    assertEquals(g.draw(QuestionGenerator.TYPES, seed), g.draw(QuestionGenerator.TYPES, seed));
  }

  @Property(tries = 40)
  void conversationsReferBackAndHaveSelfContainedRewrites(@ForAll long seed) {
    QaTask t = new QuestionGenerator(DATA.world()).generate(QuestionGenerator.CONVERSATION, seed);
    assertTrue(t.turns().size() >= 2);
    for (QaTask.Turn turn : t.turns().subList(1, t.turns().size())) {
      assertTrue(turn.question().matches(".*\\b(she|he|her|his|it|its)\\b.*"), turn.question());
      assertTrue(!turn.rewrite().equals(turn.question()));
    }
  }
}
