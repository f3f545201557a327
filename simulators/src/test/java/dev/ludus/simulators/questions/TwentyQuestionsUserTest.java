package dev.ludus.simulators.questions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Message;
import dev.ludus.api.Registry;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.Task;
import dev.ludus.api.UserSimulator;
import dev.ludus.api.UserTurn;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class TwentyQuestionsUserTest {

  static UserTurn join(CompletionStage<UserTurn> stage) {
    return stage.toCompletableFuture().join();
  }

  static Task taskFor(Item target) {
    return new Task("twenty-questions/" + target.name(), 0, Map.of("target", target.name()));
  }

  static UserSimulator started(Item target) {
    UserSimulator user = new TwentyQuestionsUserProvider().create(TwentyQuestionsUserConfig.defaults());
    join(user.start(taskFor(target), 0));
    return user;
  }

  @Test
  void everyQuestionAboutEveryItem_isAnsweredTruthfully() {
    for (Item target : Catalogue.items()) {
      try (UserSimulator user = started(target)) {
        for (Question q : Question.all()) {
          UserTurn t = join(user.respond(Message.assistant(q.text())));
          assertEquals(q.test(target) ? "Yes." : "No.", t.reply().content(), target.name() + ": " + q.text());
          assertEquals(q.text(), t.signals().get(TwentyQuestionsSignals.QUESTION).orElseThrow());
          assertFalse(t.ended());
        }
        assertEquals(1, join(user.respond(Message.assistant("Is it alive?"))).signals()
            .get(StandardSignals.CANDIDATE_COUNT).orElseThrow(), "all questions asked leave only " + target.name());
      }
    }
  }

  @Test
  void start_saysTheOpeningAndPublishesTheFullBelief() {
    UserSimulator user = new TwentyQuestionsUserProvider().create(TwentyQuestionsUserConfig.defaults());
    UserTurn open = join(user.start(Task.generated("twenty-questions", 7), 7));
    assertEquals(TwentyQuestionsUser.OPENING, open.reply().content());
    Signals s = open.signals();
    assertEquals(Catalogue.size(), s.get(StandardSignals.CANDIDATE_COUNT).orElseThrow());
    assertEquals(Math.log(Catalogue.size()) / Math.log(2), s.get(StandardSignals.CANDIDATE_ENTROPY).orElseThrow(), 1e-12);
    assertFalse(s.has(StandardSignals.CANDIDATES), "71 candidates are too many to list");
    assertTrue(Catalogue.find(s.get(TwentyQuestionsSignals.TARGET).orElseThrow()).isPresent());
    assertFalse(open.ended());
  }

  @Test
  void unclearQuestion_saysItDoesNotUnderstandAndKeepsTheCandidates() {
    UserSimulator user = started(Catalogue.find("zebra").orElseThrow());
    join(user.respond(Message.assistant("Is it an animal?")));
    UserTurn before = join(user.respond(Message.assistant("Is it large?")));
    UserTurn t = join(user.respond(Message.assistant("What colour are its stripes?")));
    assertTrue(t.reply().content().startsWith("I don't understand."), t.reply().content());
    assertEquals("not-understood", t.signals().get(TwentyQuestionsSignals.REPLY).orElseThrow());
    assertEquals(QuestionGrammar.OPEN, t.signals().get(StandardSignals.INVALID_ACTION).orElseThrow());
    assertEquals(before.signals().get(StandardSignals.CANDIDATE_COUNT), t.signals().get(StandardSignals.CANDIDATE_COUNT));
    assertFalse(t.ended());
  }

  @Test
  void wrongGuess_removesTheItemAndRightGuess_endsTheConversation() {
    UserSimulator user = started(Catalogue.find("zebra").orElseThrow());
    UserTurn wrong = join(user.respond(Message.assistant("Is it a horse?")));
    assertEquals(TwentyQuestionsUser.WRONG, wrong.reply().content());
    assertEquals("wrong-guess", wrong.signals().get(TwentyQuestionsSignals.REPLY).orElseThrow());
    assertEquals(Catalogue.size() - 1, wrong.signals().get(StandardSignals.CANDIDATE_COUNT).orElseThrow());
    assertFalse(wrong.ended());
    UserTurn right = join(user.respond(Message.assistant("<answer>zebra</answer>")));
    assertTrue(right.ended());
    assertEquals("right-guess", right.signals().get(TwentyQuestionsSignals.REPLY).orElseThrow());
    assertEquals(List.of("zebra"), right.signals().get(StandardSignals.CANDIDATES).orElseThrow());
    assertTrue(right.reply().content().toLowerCase(Locale.ROOT).contains("zebra"));
    assertThrows(ExecutionException.class,
        () -> user.respond(Message.assistant("Is it red?")).toCompletableFuture().get());
  }

  @Test
  void respondBeforeStart_failsWithIllegalState() {
    UserSimulator user = new TwentyQuestionsUserProvider().create(TwentyQuestionsUserConfig.defaults());
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> user.respond(Message.assistant("Is it red?")).toCompletableFuture().get());
    assertInstanceOf(IllegalStateException.class, e.getCause());
  }

  @Test
  void targetField_mustBeInPlay() {
    UserSimulator user = new TwentyQuestionsUserProvider().create(
        new TwentyQuestionsUserConfig(List.of("fruit"), Catalogue.size(), 10));
    Task task = new Task("t", 0, Map.of("target", "zebra"));
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> user.start(task, 0).toCompletableFuture().get());
    assertTrue(e.getCause().getMessage().contains("'zebra'") && e.getCause().getMessage().contains("apple"),
        e.getCause().getMessage());
  }

  @Test
  void target_isDeterminedByTheTaskAndSpreadOverThePool() {
    TwentyQuestionsUserConfig config = new TwentyQuestionsUserConfig(List.of("vehicle", "tool"), 12, 10);
    Set<String> seen = new HashSet<>();
    for (long seed = 0; seed < 300; seed++) {
      Task task = Task.generated("twenty-questions", seed);
      String a = join(new TwentyQuestionsUserProvider().create(config).start(task, 1))
          .signals().get(TwentyQuestionsSignals.TARGET).orElseThrow();
      String b = join(new TwentyQuestionsUserProvider().create(config).start(task, 2))
          .signals().get(TwentyQuestionsSignals.TARGET).orElseThrow();
      assertEquals(a, b);
      seen.add(a);
    }
    assertEquals(new HashSet<>(new Candidates(config.pool()).names()), seen);
  }

  @Test
  void smallPool_listsTheCandidates() {
    TwentyQuestionsUserConfig config = new TwentyQuestionsUserConfig(List.of(), 8, 10);
    UserTurn open = join(new TwentyQuestionsUserProvider().create(config).start(Task.generated("t", 1), 1));
    assertEquals(new Candidates(Catalogue.playOrder().subList(0, 8)).names(),
        open.signals().get(StandardSignals.CANDIDATES).orElseThrow());
  }

  @Test
  void fixedReplies_nameNoCatalogueItem() {
    for (String text : List.of(TwentyQuestionsUser.OPENING, TwentyQuestionsUser.YES, TwentyQuestionsUser.NO,
        TwentyQuestionsUser.WRONG)) {
      for (Item it : Catalogue.items()) {
        assertFalse(text.toLowerCase(Locale.ROOT).contains(it.name()), text + " mentions " + it.name());
      }
    }
  }

  @Test
  void provider_isRegisteredByName() {
    assertInstanceOf(TwentyQuestionsUserProvider.class,
        Registry.load().simulators().get(TwentyQuestionsUserProvider.NAME));
  }

  @Test
  void config_rejectsBadValuesNamingThem() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new TwentyQuestionsUserConfig(List.of(), 1, 10));
    assertTrue(e.getMessage().contains("candidates") && e.getMessage().contains("1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new TwentyQuestionsUserConfig(List.of("spaceship"), 10, 10));
    assertTrue(e.getMessage().contains("categories") && e.getMessage().contains("'spaceship'"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new TwentyQuestionsUserConfig(List.of(), 10, -1));
    assertTrue(e.getMessage().contains("listLimit"), e.getMessage());
  }
}
