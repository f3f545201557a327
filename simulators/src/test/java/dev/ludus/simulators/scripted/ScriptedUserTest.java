package dev.ludus.simulators.scripted;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Message;
import dev.ludus.api.PluginContext;
import dev.ludus.api.PluginRef;
import dev.ludus.api.Task;
import dev.ludus.api.UserSimulator;
import dev.ludus.api.UserTurn;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class ScriptedUserTest {
  private static final UserScript SCRIPT = new UserScript(List.of(
      new UserScript.Turn("Move some money from CHK-1234 to SAV-9876.",
          List.of(new UserScript.Fact("amount", List.of("amount", "how much"), "It's 250 dollars."))),
      new UserScript.Turn("Now show me the balance of SAV-9876.", List.of())));

  private static Task task(UserScript script) {
    return new Task("t", 1, Map.of(UserScript.FIELD, script.toJson().toString()));
  }

  private static UserTurn join(java.util.concurrent.CompletionStage<UserTurn> s) {
    return s.toCompletableFuture().join();
  }

  private static UserSimulator user() {
    return PluginContext.minimal().simulator(PluginRef.of(ScriptedUserProvider.NAME));
  }

  private static String act(UserTurn t) {
    return t.signals().get(ScriptedUserSignals.ACT).orElseThrow();
  }

  @Test
  void followsTheScriptAndGivesAHeldBackDetailOnlyWhenAskedForIt() {
    UserSimulator u = user();
    UserTurn open = join(u.start(task(SCRIPT), 0));
    assertEquals("Move some money from CHK-1234 to SAV-9876.", open.reply().content());
    assertEquals("request", act(open));
    UserTurn answered = join(u.respond(Message.assistant("How much should I move?")));
    assertEquals("It's 250 dollars.", answered.reply().content());
    assertEquals("answered", act(answered));
    assertEquals(1, answered.signals().get(ScriptedUserSignals.FACTS_GIVEN).orElseThrow());
    UserTurn next = join(u.respond(Message.assistant("Done, I moved it.")));
    assertEquals("Now show me the balance of SAV-9876.", next.reply().content());
    assertEquals("next-request", act(next));
    assertEquals(1, next.signals().get(ScriptedUserSignals.TURN).orElseThrow());
    UserTurn bye = join(u.respond(Message.assistant("It holds 1250.00.")));
    assertTrue(bye.ended());
    assertEquals("closing", act(bye));
    assertThrows(Exception.class, () -> join(u.respond(Message.assistant("anything else?"))));
  }

  @Test
  void aQuestionThatNamesNoHeldBackDetailEndsTheTurn() {
    UserSimulator u = user();
    join(u.start(task(SCRIPT), 0));
    UserTurn t = join(u.respond(Message.assistant("Shall I go ahead?")));
    assertEquals("next-request", act(t));
  }

  @Test
  void aStatementThatMentionsTheDetailDoesNotGetIt() {
    UserSimulator u = user();
    join(u.start(task(SCRIPT), 0));
    UserTurn t = join(u.respond(Message.assistant("I moved the amount you wanted.")));
    assertEquals("next-request", act(t));
  }

  @Test
  void aLenientUserAnswersAnyQuestion() {
    UserSimulator u = PluginContext.minimal().simulator(PluginRef.of(ScriptedUserProvider.NAME,
        new ScriptedUserConfig("Bye.", false)));
    join(u.start(task(SCRIPT), 0));
    assertEquals("It's 250 dollars.", join(u.respond(Message.assistant("Anything I should know?"))).reply().content());
  }

  @Test
  void aTaskWithoutAScriptFailsTheStartNamingTheField() {
    UserSimulator u = user();
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> u.start(new Task("t", 1, Map.of()), 0).toCompletableFuture().get());
    assertInstanceOf(IllegalArgumentException.class, e.getCause());
    assertTrue(e.getCause().getMessage().contains(UserScript.FIELD), e.getCause().getMessage());
  }

  @Test
  void theScriptReadsBackFromItsJson() {
    assertEquals(SCRIPT, UserScript.fromJson(SCRIPT.toJson()));
    assertFalse(SCRIPT.toJson().toString().isBlank());
  }
}
