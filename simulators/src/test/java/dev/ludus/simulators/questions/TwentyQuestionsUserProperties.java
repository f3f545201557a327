package dev.ludus.simulators.questions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Message;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.UserSimulator;
import dev.ludus.api.UserTurn;
import dev.ludus.simulators.questions.QuestionGrammar.Ask;
import dev.ludus.simulators.questions.QuestionGrammar.Guess;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class TwentyQuestionsUserProperties {

  @Provide
  Arbitrary<Item> targets() {
    return Arbitraries.of(Catalogue.items());
  }

  /** Canonical questions, loosely phrased questions, guesses and noise. */
  @Provide
  Arbitrary<String> messages() {
    List<String> texts = new ArrayList<>();
    Question.all().forEach(q -> texts.add(q.text()));
    Catalogue.items().forEach(it -> texts.add("Is it a " + it.name() + "?"));
    texts.addAll(List.of("Does it live in the sea?", "Is it bigger than a person?", "Can you eat it?",
        "Does it have at least 3 wheels?", "Is it a red fruit?", "Is it not alive?", "Hello", "",
        "What is it?", "Is it red or green?", "Is it bigger than a car?"));
    return Arbitraries.oneOf(Arbitraries.of(texts), Arbitraries.strings().ofMaxLength(30));
  }

  @Property(tries = 300)
  void candidates_alwaysHoldTheTargetNeverGrowAndMatchTheAnswers(
      @ForAll("targets") Item target, @ForAll @Size(max = 25) List<@From("messages") String> messages) {
    UserSimulator user = TwentyQuestionsUserTest.started(target);
    Set<Item> consistent = new HashSet<>(Catalogue.items());
    int previous = Catalogue.size();
    for (String m : messages) {
      UserTurn t = TwentyQuestionsUserTest.join(user.respond(Message.assistant(m)));
      var parsed = QuestionGrammar.parse(m);
      if (parsed instanceof Ask ask) {
        Optional<Boolean> yes = QuestionGrammar.readReply(t.reply().content());
        assertEquals(Optional.of(ask.question().test(target)), yes, m);
        consistent.removeIf(it -> ask.question().test(it) != yes.get());
      } else if (parsed instanceof Guess g) {
        consistent.remove(g.item());
        if (g.item().equals(target)) {
          assertTrue(t.ended());
          return;
        }
      } else {
        assertTrue(t.signals().has(StandardSignals.INVALID_ACTION), m);
      }
      int count = t.signals().get(StandardSignals.CANDIDATE_COUNT).orElseThrow();
      assertTrue(count <= previous, "grew from " + previous + " to " + count);
      consistent.add(target);
      assertEquals(consistent.size(), count, "after " + m);
      assertEquals(count <= 1 ? 0.0 : Math.log(count) / Math.log(2),
          t.signals().get(StandardSignals.CANDIDATE_ENTROPY).orElseThrow(), 1e-12);
      t.signals().get(StandardSignals.CANDIDATES).ifPresent(names -> {
        assertTrue(names.contains(target.name()));
        assertEquals(count, names.size());
      });
      assertEquals(count <= 10, t.signals().has(StandardSignals.CANDIDATES));
      previous = count;
    }
  }

  @Property(tries = 200)
  void unclearMessages_leaveTheCandidatesUnchanged(
      @ForAll("targets") Item target, @ForAll("messages") String first, @ForAll @Size(max = 40) String noise) {
    UserSimulator user = TwentyQuestionsUserTest.started(target);
    UserTurn a = TwentyQuestionsUserTest.join(user.respond(Message.assistant(first)));
    if (a.ended()) {
      return;
    }
    UserTurn b = TwentyQuestionsUserTest.join(user.respond(Message.assistant(noise)));
    if (QuestionGrammar.parse(noise) instanceof QuestionGrammar.Unclear u) {
      assertTrue(b.reply().content().startsWith("I don't understand."));
      assertEquals(u.reason(), b.signals().get(StandardSignals.INVALID_ACTION).orElseThrow());
      assertEquals(a.signals().get(StandardSignals.CANDIDATE_COUNT), b.signals().get(StandardSignals.CANDIDATE_COUNT));
      assertEquals(a.signals().get(StandardSignals.CANDIDATES), b.signals().get(StandardSignals.CANDIDATES));
    }
  }
}
