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
import dev.ludus.simulators.intent.IntentSignals;
import dev.ludus.simulators.intent.IntentSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The LLM-driven intent user against the mock server, next to its rule-based twin on the same task. */
class IntentLlmUserMockTest {
  static final String USER = "The assistant asks you questions";
  static final List<SignalKey<?>> SIGNALS = List.of(StandardSignals.CANDIDATE_COUNT,
      StandardSignals.CANDIDATE_ENTROPY, IntentSignals.ATTRIBUTES_KNOWN, IntentSignals.NOT_SURE, IntentSignals.INTENT,
      IntentSignals.UNSURE_OF, IntentSignals.EXPERTISE, IntentSignals.SCORE, StandardSignals.INVALID_ACTION);

  static void sameSignals(UserTurn rules, UserTurn twin) {
    for (SignalKey<?> key : SIGNALS) {
      assertEquals(rules.signals().get(key), twin.signals().get(key), key.name());
    }
  }

  @Test
  void truthfulJsonAnswersUpdateTheCandidateSetExactlyAsTheRuleBasedUsersAnswers() throws Exception {
    ScriptedModel model = new ScriptedModel();
    try (MockOpenAiServer server = MockOpenAiServer.builder().responder(model).start();
        PluginContext.Owned context = context(server);
        UserSimulator rules = context.simulator(PluginRef.of("intent-user", Map.of("expertise", "expert")))) {
      IntentLlmUser twin = new IntentLlmUser(new IntentLlmUserConfig(null, "expert", "user-model", 0.0, null, null,
          null, 1, null), context.chatClient("user-model"));
      Task task = Task.generated("intent", 9);
      UserTurn opening = await(twin.start(task, 1));
      UserTurn ruleOpening = await(rules.start(task, 1));
      assertEquals(ruleOpening.reply().content(), opening.reply().content());
      sameSignals(ruleOpening, opening);
      List<String> intent = twin.draw().intent();
      IntentSpec spec = IntentSpec.builtIn();
      String destination = intent.get(0);
      String budget = intent.get(spec.index("budget").orElseThrow());
      model.role(USER, "{\"answer\": \"" + destination + "\", \"reply\": \"I'd love to go to " + destination + ".\"}",
          "{\"answer\": \"" + (budget.equals("low") ? "yes" : "no") + "\", \"reply\": \"About the budget...\"}");

      UserTurn which = await(twin.respond(Message.assistant("What is the destination?")));
      sameSignals(await(rules.respond(Message.assistant("What is the destination?"))), which);
      assertEquals("I'd love to go to " + destination + ".", which.reply().content());
      assertEquals(1, which.signals().get(IntentSignals.ATTRIBUTES_KNOWN).orElseThrow());

      UserTurn is = await(twin.respond(Message.assistant("Is the budget low?")));
      sameSignals(await(rules.respond(Message.assistant("Is the budget low?"))), is);
      assertFalse(is.ended());
      String system = model.asked(USER).get(1).path("messages").get(0).path("content").asText();
      assertTrue(system.contains("\"yes\",\"no\",\"not-sure\""), "the schema lists the allowed answers: " + system);

      String spec0 = "<intent>" + String.join("; ", java.util.stream.IntStream.range(0, spec.size())
          .mapToObj(i -> spec.attributes().get(i).name() + "=" + intent.get(i)).toList()) + "</intent>";
      UserTurn end = await(twin.respond(Message.assistant(spec0)));
      sameSignals(await(rules.respond(Message.assistant(spec0))), end);
      assertTrue(end.ended());
      assertEquals(1.0, end.signals().get(IntentSignals.SCORE).orElseThrow(), 1e-12);
      assertEquals(2, server.requestCount(), "the final specification is scored by the rules, without a call");
    }
  }

  @Test
  void anAnswerOutsideTheQuestionsChoicesIsMalformedAndARecordedSimulatorFailure() throws Exception {
    ScriptedModel model = new ScriptedModel().role(USER,
        "{\"answer\": \"paris\", \"reply\": \"Paris!\"}",          // not an answer to a yes/no question
        "{\"answer\": \"yes\"}");                                  // no reply
    try (MockOpenAiServer server = MockOpenAiServer.builder().responder(model).start();
        PluginContext.Owned context = context(server);
        UserSimulator user = context.simulator(PluginRef.of("intent-llm-user",
            Map.of("endpoint", "user-model", "attempts", 2)))) {
      await(user.start(Task.generated("intent", 4), 4));
      SimulatorFailure f = assertInstanceOf(SimulatorFailure.class,
          failure(user.respond(Message.assistant("Is the month april?"))));
      assertEquals(SimulatorFailure.Kind.MALFORMED_OUTPUT, f.kind());
      assertTrue(f.getMessage().contains("intent-answer") && f.getMessage().contains("after 2 attempts"),
          f.getMessage());
      assertEquals(2, model.asked(USER).size());
    }
  }
}
