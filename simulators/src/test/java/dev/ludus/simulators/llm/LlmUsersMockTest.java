package dev.ludus.simulators.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.agents.openai.mock.MockFault;
import dev.ludus.agents.openai.mock.MockFaultSchedule;
import dev.ludus.agents.openai.mock.MockOpenAiServer;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Message;
import dev.ludus.api.PluginContext;
import dev.ludus.api.PluginRef;
import dev.ludus.api.Registry;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.Task;
import dev.ludus.api.UserSimulator;
import dev.ludus.api.UserTurn;
import dev.ludus.api.chat.ChatEndpoint;
import dev.ludus.simulators.persuasion.PersuasionSignals;
import dev.ludus.simulators.support.SupportSignals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The LLM-driven users end to end against the protocol-faithful mock server over loopback HTTP, with scripted replies
 * that are well-formed, malformed and adversarial.
 */
class LlmUsersMockTest {
  static final String ANALYSER = "emotion analyser";
  static final String ACTOR = "Rules:";
  static final String PERSUADEE = "You are the\npersuadee";

  /** A context declaring {@code user-model} at {@code server} (no transport retries: a script counts requests); the caller closes it. */
  static PluginContext.Owned context(MockOpenAiServer server) {
    ChatEndpoint endpoint = ChatEndpoint.builder().baseUrl(server.baseUrl()).model("user-sim").apiKeyEnv(null)
        .requestTimeoutMillis(60_000).maxRetries(0).cacheSize(0).build();
    return PluginContext.standalone(Registry.load(), Map.of("user-model", endpoint));
  }

  static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static Throwable failure(CompletionStage<?> stage) {
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> stage.toCompletableFuture().get(30, TimeUnit.SECONDS));
    return e.getCause();
  }

  static String analysis(String fit, int change) {
    return "{\"analysis\": \"how it landed\", \"fit\": \"" + fit + "\", \"change\": " + change + "}";
  }

  @Test
  void emotionalSupportTwinMovesTheEmotionByTheAnalysersJsonClippedAsSageDoes() throws Exception {
    ScriptedModel model = new ScriptedModel()
        .role(ANALYSER, analysis("matched", 25), "```json\n" + analysis("neutral", 5) + "\n```")
        .role(ACTOR, "Thanks, that actually helps.", "Hm, okay.");
    try (MockOpenAiServer server = MockOpenAiServer.builder().responder(model).start();
        PluginContext.Owned context = context(server);
        UserSimulator user = context.simulator(PluginRef.of("emotional-support-llm-user",
            Map.of("endpoint", "user-model", "temperature", 0)))) {
      UserTurn opening = await(user.start(Task.generated("emotional-support", 3), 3));
      assertEquals(40.0, opening.signals().get(StandardSignals.EMOTION).orElseThrow(), "SAGE starts at 40");
      assertEquals(0, server.requestCount(), "the opening line is the profile's, as SAGE presets it");

      UserTurn first = await(user.respond(Message.assistant("That sounds really hard, your feelings make sense.")));
      assertEquals("Thanks, that actually helps.", first.reply().content());
      assertEquals(50.0, first.signals().get(StandardSignals.EMOTION).orElseThrow(), "+25 clipped to +10");
      assertEquals("matched", first.signals().get(SupportSignals.FIT).orElseThrow());
      assertEquals("B", first.signals().get(SupportSignals.BAND).orElseThrow());
      assertEquals(opening.signals().get(SupportSignals.NEED), first.signals().get(SupportSignals.NEED));
      assertFalse(first.ended());

      UserTurn second = await(user.respond(Message.assistant("Anyway, how's the weather?")));
      assertEquals(55.0, second.signals().get(StandardSignals.EMOTION).orElseThrow(), "a fenced JSON reply is read");

      JsonNode actorRequest = model.asked(ACTOR).get(1);
      JsonNode messages = actorRequest.path("messages");
      assertEquals("system", messages.get(0).path("role").asText());
      assertEquals("assistant", messages.get(1).path("role").asText(), "roles flipped: the user's own opening");
      assertEquals("user", messages.get(2).path("role").asText(), "roles flipped: the agent's message");
      assertFalse(actorRequest.has("logprobs") && actorRequest.get("logprobs").asBoolean(),
          "a simulated user's tokens are never trained: no log-probs asked");
      assertEquals(0.0, actorRequest.path("temperature").asDouble(), "the pinned sampling is sent");
    }
  }

  @Test
  void malformedAnalysesAreAskedAgainWithTheProblemAndThenRecordedAsASimulatorFailure() throws Exception {
    ScriptedModel model = new ScriptedModel()
        .role(ANALYSER,
            "Sure! The change is +5.",                                     // not JSON
            analysis("matched", 10),                                          // retry succeeds
            "{\"analysis\": \"x\", \"fit\": \"ecstatic\", \"change\": 3}",   // not in the enum
            "{\"analysis\": \"x\", \"fit\": \"matched\", \"change\": 500}",  // out of range (adversarial)
            "{\"fit\": \"matched\", \"fit\": \"harmful\", \"change\": 1, \"analysis\": \"dup\"}") // duplicate key
        .role(ACTOR, "Okay.");
    try (MockOpenAiServer server = MockOpenAiServer.builder().responder(model).start();
        PluginContext.Owned context = context(server);
        UserSimulator user = context.simulator(PluginRef.of("emotional-support-llm-user",
            Map.of("attempts", 3)))) {
      await(user.start(Task.generated("emotional-support", 1), 1));
      UserTurn ok = await(user.respond(Message.assistant("I hear you.")));
      assertEquals(50.0, ok.signals().get(StandardSignals.EMOTION).orElseThrow());
      JsonNode retry = model.asked(ANALYSER).get(1).path("messages");
      assertEquals("Sure! The change is +5.", retry.get(retry.size() - 2).path("content").asText(),
          "the bad reply is shown back");
      assertTrue(retry.get(retry.size() - 1).path("content").asText().contains("not one JSON object"),
          retry.toString());

      Throwable t = failure(user.respond(Message.assistant("Tell me more.")));
      SimulatorFailure f = assertInstanceOf(SimulatorFailure.class, t);
      assertEquals(SimulatorFailure.Kind.MALFORMED_OUTPUT, f.kind());
      assertTrue(f.getMessage().contains("after 3 attempts"), f.getMessage());
      assertTrue(f.getMessage().contains("Duplicate field"), "the last problem is named: " + f.getMessage());
      assertEquals(5, model.asked(ANALYSER).size(), "1 + 1 retry, then 3 attempts");
    }
  }

  @Test
  void anEndpointThatFailsIsASimulatorFailureNotACrash() throws Exception {
    try (MockOpenAiServer server = MockOpenAiServer.builder()
        .faults(MockFaultSchedule.always(MockFault.serverError())).start();
        PluginContext.Owned context = context(server);
        UserSimulator user = context.simulator(PluginRef.of("persuasion-llm-user"))) {
      await(user.start(Task.generated("persuasion", 2), 2));
      SimulatorFailure f = assertInstanceOf(SimulatorFailure.class,
          failure(user.respond(Message.assistant("Would you donate to Save the Children?"))));
      assertEquals(SimulatorFailure.Kind.ENDPOINT, f.kind());
    }
  }

  @Test
  void persuasionTwinTakesItsPropensityAndDecisionFromTheModel() throws Exception {
    ScriptedModel model = new ScriptedModel().role(PERSUADEE,
        "{\"propensity\": 0.55, \"decision\": \"continue\", \"reply\": \"Tell me more about them.\"}",
        "{\"propensity\": 0.7, \"decision\": \"donate\", \"donation\": 1.5, \"reply\": \"Okay, I'll give a dollar fifty.\"}",
        "{\"propensity\": 0.9, \"decision\": \"donate\", \"reply\": \"Fine.\"}");
    try (MockOpenAiServer server = MockOpenAiServer.builder().responder(model).start();
        PluginContext.Owned context = context(server);
        UserSimulator user = context.simulator(PluginRef.of("persuasion-llm-user", Map.of("attempts", 1)))) {
      UserTurn opening = await(user.start(Task.generated("persuasion", 4), 4));
      assertTrue(opening.signals().get(PersuasionSignals.PROPENSITY).isPresent());
      UserTurn t1 = await(user.respond(Message.assistant("Save the Children helps kids in war zones.")));
      assertEquals(0.55, t1.signals().get(PersuasionSignals.PROPENSITY).orElseThrow(), 1e-9);
      assertTrue(t1.signals().get(PersuasionSignals.STRATEGIES).isPresent(), "the rules' reading is kept");
      assertFalse(t1.ended());
      UserTurn t2 = await(user.respond(Message.assistant("Would you donate $1.50 of your payment?")));
      assertTrue(t2.ended());
      assertEquals(1.5, t2.signals().get(PersuasionSignals.DONATION).orElseThrow(), 1e-9,
          "the donation is the model's decision");
      assertEquals(0.7, t2.signals().get(PersuasionSignals.PROPENSITY).orElseThrow(), 1e-9);
      assertEquals("Okay, I'll give a dollar fifty.", t2.reply().content());
      SimulatorFailure f = assertInstanceOf(SimulatorFailure.class,
          failure(user.respond(Message.assistant("Thanks!"))));
      assertEquals(SimulatorFailure.Kind.LIFE_CYCLE, f.kind());
    }
  }

  @Test
  void aDonationWithoutAnAmountIsRefusedBySchemaNotGuessed() throws Exception {
    ScriptedModel model = new ScriptedModel().role(PERSUADEE,
        "{\"propensity\": 0.7, \"decision\": \"donate\", \"reply\": \"Sure.\"}");
    try (MockOpenAiServer server = MockOpenAiServer.builder().responder(model).start();
        PluginContext.Owned context = context(server);
        UserSimulator user = context.simulator(PluginRef.of("persuasion-llm-user", Map.of("attempts", 2)))) {
      await(user.start(Task.generated("persuasion", 5), 5));
      SimulatorFailure f = assertInstanceOf(SimulatorFailure.class,
          failure(user.respond(Message.assistant("Would you give $1?"))));
      assertTrue(f.getMessage().contains("donation"), f.getMessage());
      assertEquals(2, model.asked(PERSUADEE).size());
    }
  }

  @Test
  void genericUserSeesFlippedRolesAndEndsOnTau2sStopToken() throws Exception {
    ScriptedModel model = new ScriptedModel().role("You are playing the role of a user",
        "Hi, I need to change my flight.", "It's booking ABC123.", "###STOP###");
    try (MockOpenAiServer server = MockOpenAiServer.builder().responder(model).start();
        PluginContext.Owned context = context(server);
        UserSimulator user = context.simulator(PluginRef.of("llm-user",
            Map.of("scenario", "You want to move flight ABC123 to Friday.", "persona", "A busy nurse.")))) {
      UserTurn opening = await(user.start(Task.generated("x", 1), 1));
      assertEquals("Hi, I need to change my flight.", opening.reply().content());
      assertEquals("user-sim", opening.signals().get(LlmUserSignals.MODEL).orElseThrow());
      JsonNode first = model.asked("You are playing the role of a user").get(0).path("messages");
      assertTrue(first.get(0).path("content").asText().contains("<scenario>\nYou want to move flight ABC123"));
      assertTrue(first.get(0).path("content").asText().contains("A busy nurse."));
      assertEquals(LlmUserConfig.DEFAULT_GREETING, first.get(1).path("content").asText());
      assertEquals("user", first.get(1).path("role").asText(), "the agent's greeting is the model's user turn");

      assertFalse(await(user.respond(Message.assistant("Sure, what's the booking?"))).ended());
      UserTurn end = await(user.respond(Message.assistant("Done, moved to Friday.")));
      assertTrue(end.ended());
      assertEquals("stop", end.signals().get(LlmUserSignals.END).orElseThrow());
      JsonNode last = model.asked("You are playing the role of a user").get(2).path("messages");
      assertEquals(6, last.size());
      assertEquals("assistant", last.get(4).path("role").asText());
      assertEquals("user", last.get(5).path("role").asText());
    }
  }

  @Test
  void aPromptDirectoryReplacesTheBuiltInTemplate(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("llm-user.jinja"), "CUSTOM {{ scenario | upper }} {% if persona %}P{% endif %}");
    ScriptedModel model = new ScriptedModel().role("CUSTOM", "hello");
    try (MockOpenAiServer server = MockOpenAiServer.builder().responder(model).start();
        PluginContext.Owned context = context(server);
        UserSimulator user = context.simulator(PluginRef.of("llm-user",
            Map.of("scenario", "buy milk", "prompts", dir.toString())))) {
      await(user.start(Task.generated("x", 1), 1));
      assertEquals("CUSTOM BUY MILK", model.asked("CUSTOM").get(0).path("messages").get(0).path("content").asText());
    }
  }

  @Test
  void anUndeclaredEndpointOrABadSettingIsAConfigErrorNamingWhatIsAllowed() throws Exception {
    try (MockOpenAiServer server = MockOpenAiServer.builder().start();
        PluginContext.Owned context = context(server)) {
      ConfigException e = assertThrows(ConfigException.class, () -> context.simulator("user",
          PluginRef.of("emotional-support-llm-user", Map.of("endpoint", "judge"))));
      assertTrue(e.getMessage().contains("user-model"), e.getMessage());
      ConfigException t = assertThrows(ConfigException.class, () -> context.simulator("user",
          PluginRef.of("persuasion-llm-user", Map.of("temperature", 3))));
      assertTrue(t.getMessage().contains("temperature"), t.getMessage());
    }
  }

  @Test
  void personalisationTwinRevealsOnlyUnrevealedFactsWithinTheShareAndHearsOnlyTheResponse() throws Exception {
    String phrase = "just been added as a friend";
    ScriptedModel model = new ScriptedModel().role(phrase,
        "{\"reveal\": [0], \"reply\": \"I like being outdoors.\"}",
        "{\"reveal\": [0], \"reply\": \"I told you.\"}",            // already revealed: refused by the schema
        "{\"reveal\": [], \"reply\": \"Hm.\"}",
        "{\"reveal\": [1, 2, 3, 4, 5, 6, 7, 8], \"reply\": \"Everything!\"}"); // over the share, repeated
    try (MockOpenAiServer server = MockOpenAiServer.builder().responder(model).start();
        PluginContext.Owned context = context(server);
        UserSimulator user = context.simulator(PluginRef.of("personalisation-llm-user", Map.of("attempts", 2)))) {
      await(user.start(Task.generated("personalisation", 6), 6));
      String ask = dev.ludus.simulators.profile.ProfileAnswer.format(java.util.List.of("likes the outdoors"),
          "What do you do on weekends?");
      UserTurn t1 = await(user.respond(Message.assistant(ask)));
      assertEquals(1, t1.signals().get(dev.ludus.simulators.profile.PersonalisationSignals.FACTS_REVEALED)
          .orElseThrow());
      JsonNode heard = model.asked(phrase).get(0).path("messages");
      assertEquals("What do you do on weekends?", heard.get(heard.size() - 1).path("content").asText(),
          "the user hears the response, not the agent's inferred profile");
      UserTurn t2 = await(user.respond(Message.assistant(ask.replace("weekends", "evenings"))));
      assertEquals(1, t2.signals().get(dev.ludus.simulators.profile.PersonalisationSignals.FACTS_REVEALED)
          .orElseThrow());
      assertEquals("Hm.", t2.reply().content());
      SimulatorFailure f = assertInstanceOf(SimulatorFailure.class,
          failure(user.respond(Message.assistant(ask.replace("weekends", "mornings")))));
      assertTrue(f.getMessage().contains("confidant-reply"), f.getMessage());
      UserTurn malformed = await(user.respond(Message.assistant("no tags at all")));
      assertTrue(malformed.signals().get(StandardSignals.INVALID_ACTION).isPresent(),
          "a malformed agent message is answered by the rules, without a model call");
    }
  }
}
