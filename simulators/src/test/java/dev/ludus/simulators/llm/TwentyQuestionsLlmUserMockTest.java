package dev.ludus.simulators.llm;

import static dev.ludus.simulators.llm.LlmUsersMockTest.await;
import static dev.ludus.simulators.llm.LlmUsersMockTest.context;
import static dev.ludus.simulators.llm.LlmUsersMockTest.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.openai.mock.MockOpenAiServer;
import dev.ludus.api.Message;
import dev.ludus.api.PluginContext;
import dev.ludus.api.PluginRef;
import dev.ludus.api.SignalKey;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.Task;
import dev.ludus.api.UserSimulator;
import dev.ludus.api.UserTurn;
import dev.ludus.simulators.questions.TwentyQuestionsSignals;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The LLM-driven twenty-questions user against the mock server, next to its rule-based twin on the same item. */
class TwentyQuestionsLlmUserMockTest {
  static final String USER = "You are playing twenty questions";
  static final Task ZEBRA = new Task("twenty-questions/zebra", 0, Map.of("target", "zebra"));
  static final List<SignalKey<?>> SIGNALS = List.of(StandardSignals.CANDIDATE_COUNT, StandardSignals.CANDIDATE_ENTROPY,
      StandardSignals.CANDIDATES, TwentyQuestionsSignals.TARGET, TwentyQuestionsSignals.REPLY,
      TwentyQuestionsSignals.QUESTION, StandardSignals.INVALID_ACTION);

  static void sameSignals(UserTurn rules, UserTurn twin) {
    for (SignalKey<?> key : SIGNALS) {
      assertEquals(rules.signals().get(key), twin.signals().get(key), key.name());
    }
  }

  @Test
  void theModelsYesAndNoNarrowTheCandidatesExactlyAsTheRuleBasedUsersAnswers() throws Exception {
    ScriptedModel model = new ScriptedModel().role(USER,
        "{\"answer\": \"yes\", \"reply\": \"Yes, it is.\"}",
        "{\"answer\": \"no\", \"reply\": \"No.\"}",
        "{\"answer\": \"dont-know\", \"reply\": \"Hm, I don't know.\"}");
    try (MockOpenAiServer server = MockOpenAiServer.builder().responder(model).start();
        PluginContext.Owned context = context(server);
        UserSimulator rules = context.simulator(PluginRef.of("twenty-questions-user"));
        UserSimulator twin = context.simulator(PluginRef.of("twenty-questions-llm-user",
            Map.of("endpoint", "user-model")))) {
      sameSignals(await(rules.start(ZEBRA, 0)), await(twin.start(ZEBRA, 0)));
      for (String question : List.of("Is it an animal?", "Is it red?")) {
        UserTurn t = await(twin.respond(Message.assistant(question)));
        sameSignals(await(rules.respond(Message.assistant(question))), t);
        assertFalse(t.ended());
      }
      String system = model.asked(USER).get(0).path("messages").get(0).path("content").asText();
      assertTrue(system.contains("zebra") && system.contains("Is it an animal?"), system);

      UserTurn before = await(rules.respond(Message.assistant("Is it large?")));
      UserTurn dontKnow = await(twin.respond(Message.assistant("Is it large?")));
      assertEquals("dont-know", dontKnow.signals().get(TwentyQuestionsSignals.REPLY).orElseThrow());
      assertEquals("Hm, I don't know.", dontKnow.reply().content());
      assertTrue(dontKnow.signals().get(StandardSignals.CANDIDATE_COUNT).orElseThrow()
          > before.signals().get(StandardSignals.CANDIDATE_COUNT).orElseThrow(), "don't know rules nothing out");

      UserTurn right = await(twin.respond(Message.assistant("<answer>zebra</answer>")));
      assertTrue(right.ended());
      assertEquals("right-guess", right.signals().get(TwentyQuestionsSignals.REPLY).orElseThrow());
      assertEquals(3, server.requestCount(), "guesses are answered by the rules, without a call");
    }
  }

  @Test
  void anAnswerThatIsNotYesNoOrDontKnowIsMalformedAndARecordedSimulatorFailure() throws Exception {
    ScriptedModel model = new ScriptedModel().role(USER,
        "Yes.",                                                   // not JSON
        "{\"answer\": \"maybe\", \"reply\": \"Maybe.\"}");        // not in the enum
    try (MockOpenAiServer server = MockOpenAiServer.builder().responder(model).start();
        PluginContext.Owned context = context(server);
        UserSimulator user = context.simulator(PluginRef.of("twenty-questions-llm-user", Map.of("attempts", 2)))) {
      await(user.start(ZEBRA, 0));
      SimulatorFailure f = assertInstanceOf(SimulatorFailure.class,
          failure(user.respond(Message.assistant("Is it an animal?"))));
      assertEquals(SimulatorFailure.Kind.MALFORMED_OUTPUT, f.kind());
      assertTrue(f.getMessage().contains("twenty-questions-answer") && f.getMessage().contains("after 2 attempts"),
          f.getMessage());
    }
  }
}
