package dev.ludus.simulators.llm;

import static dev.ludus.simulators.llm.LlmUsersMockTest.await;
import static dev.ludus.simulators.llm.LlmUsersMockTest.context;
import static dev.ludus.simulators.llm.LlmUsersMockTest.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.agents.openai.mock.MockOpenAiServer;
import dev.ludus.api.Message;
import dev.ludus.api.PluginContext;
import dev.ludus.api.PluginRef;
import dev.ludus.api.SignalKey;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.Task;
import dev.ludus.api.UserSimulator;
import dev.ludus.api.UserTurn;
import dev.ludus.simulators.tutoring.Skill;
import dev.ludus.simulators.tutoring.TeacherClassifier;
import dev.ludus.simulators.tutoring.TutoringSignals;
import dev.ludus.simulators.tutoring.TutoringTables;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The LLM-driven tutoring student against the mock server, next to its rule-based twin on the same task. */
class TutoringLlmUserMockTest {
  static final String STUDENT = "You are a student talking with a teacher";
  static final Map<String, Skill> SKILLS = TutoringTables.skills("");

  /** A hint the rule-based student learns from: the skill's example, or its misconception's when it holds one. */
  static String teachingHint(TutoringLlmUser twin, String skill) {
    Skill k = SKILLS.get(skill);
    return twin.state().misconceptions().contains(skill) ? k.misconception().example() : k.example();
  }

  static String lacking(TutoringLlmUser twin) {
    return twin.state().problem().skills().stream().filter(s -> !twin.state().can(s)).sorted().findFirst()
        .orElseThrow();
  }

  @Test
  void aGoodReplyTeachesTheHintedSkillAndTheSignalsMatchTheRuleBasedStudent() throws Exception {
    ScriptedModel model = new ScriptedModel();
    try (MockOpenAiServer server = MockOpenAiServer.builder().responder(model).start();
        PluginContext.Owned context = context(server);
        UserSimulator rules = context.simulator(PluginRef.of("tutoring-student"))) {
      TutoringLlmUser twin = new TutoringLlmUser(TutoringLlmUserConfig.defaults(), context.chatClient("user-model"));
      Task task = Task.generated("tutoring", 11);
      UserTurn opening = await(twin.start(task, 5));
      UserTurn ruleOpening = await(rules.start(task, 5));
      assertEquals(ruleOpening.reply().content(), opening.reply().content(), "the same problem, the same opening");
      assertEquals(ruleOpening.signals().get(TutoringSignals.STUDENT_SKILLS),
          opening.signals().get(TutoringSignals.STUDENT_SKILLS), "the same hidden skills");
      assertEquals(ruleOpening.signals().get(TutoringSignals.MISCONCEPTIONS),
          opening.signals().get(TutoringSignals.MISCONCEPTIONS), "the same misconceptions");
      assertEquals(0, server.requestCount(), "the opening is the rule-based student's");

      String skill = lacking(twin);
      String hint = teachingHint(twin, skill);
      assertTrue(TeacherClassifier.read(hint, SKILLS).hinted().contains(skill), "the hint is read as one: " + hint);
      model.role(STUDENT, "{\"understood\": [\"" + skill + "\"], \"reply\": \"Oh, I see how that works now.\"}",
          "```json\n{\"understood\": [], \"reply\": \"Thanks for your help!\"}\n```");

      UserTurn taught = await(twin.respond(Message.assistant(hint)));
      UserTurn ruleTaught = await(rules.respond(Message.assistant(hint)));
      assertEquals("Oh, I see how that works now.", taught.reply().content());
      assertTrue(twin.state().can(skill), "the understood skill is known and its misconception cleared");
      for (SignalKey<?> key : List.of(TutoringSignals.STUDENT_SKILLS, TutoringSignals.MISCONCEPTIONS,
          TutoringSignals.SKILLS_LEARNED, TutoringSignals.HINTED, TutoringSignals.LEAK, TutoringSignals.CONTRIBUTED)) {
        assertEquals(ruleTaught.signals().get(key), taught.signals().get(key), key.name());
      }
      assertFalse(taught.ended());
      JsonNode asked = model.asked(STUDENT).get(0);
      String system = asked.path("messages").get(0).path("content").asText();
      assertFalse(system.contains(twin.state().problem().answer() + " "), "the student's model is not told the answer");
      assertTrue(system.contains(skill), "the schema names the teachable skill");
      assertEquals("assistant", asked.path("messages").get(1).path("role").asText(), "roles flipped");

      UserTurn end = await(twin.respond(Message.assistant("Good work today. " + TeacherClassifier.END)));
      UserTurn ruleEnd = await(rules.respond(Message.assistant("Good work today. " + TeacherClassifier.END)));
      assertTrue(end.ended());
      assertEquals("Thanks for your help!", end.reply().content());
      assertEquals(8, end.signals().get(TutoringSignals.ATTEMPTS).orElseThrow());
      assertEquals(ruleEnd.signals().get(TutoringSignals.ATTEMPTS_SOLVED),
          end.signals().get(TutoringSignals.ATTEMPTS_SOLVED), "the same state and noise: the same final attempts");
    }
  }

  @Test
  void claimingToUnderstandASkillNotHintedIsMalformedAndARecordedSimulatorFailure() throws Exception {
    ScriptedModel model = new ScriptedModel().role(STUDENT,
        "I get it now!",                                                          // not JSON
        "{\"understood\": [\"made-up-skill\"], \"reply\": \"Sure.\"}",            // not a teachable skill
        "{\"understood\": [], \"reply\": \"ok\", \"answer\": 42}");               // an extra field
    try (MockOpenAiServer server = MockOpenAiServer.builder().responder(model).start();
        PluginContext.Owned context = context(server);
        UserSimulator user = context.simulator(PluginRef.of("tutoring-llm-user",
            Map.of("endpoint", "user-model", "attempts", 3)))) {
      await(user.start(Task.generated("tutoring", 12), 1));
      SimulatorFailure f = assertInstanceOf(SimulatorFailure.class,
          failure(user.respond(Message.assistant("Let's think about this problem together, what do you notice?"))));
      assertEquals(SimulatorFailure.Kind.MALFORMED_OUTPUT, f.kind());
      assertTrue(f.getMessage().contains("student-reply") && f.getMessage().contains("after 3 attempts"),
          f.getMessage());
      assertEquals(3, model.asked(STUDENT).size());
    }
  }

  @Test
  void aMessageWithoutWordsIsAnsweredByTheRulesWithoutAModelCall() throws Exception {
    ScriptedModel model = new ScriptedModel().role(STUDENT, "{\"understood\": [], \"reply\": \"x\"}");
    try (MockOpenAiServer server = MockOpenAiServer.builder().responder(model).start();
        PluginContext.Owned context = context(server);
        UserSimulator user = context.simulator(PluginRef.of("tutoring-llm-user"))) {
      await(user.start(Task.generated("tutoring", 3), 3));
      UserTurn t = await(user.respond(Message.assistant("?!")));
      assertTrue(t.signals().get(StandardSignals.INVALID_ACTION).isPresent());
      assertEquals(0, server.requestCount());
    }
  }
}
