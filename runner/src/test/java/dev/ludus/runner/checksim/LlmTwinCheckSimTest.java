package dev.ludus.runner.checksim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.openai.mock.MockOpenAiServer;
import dev.ludus.agents.openai.mock.MockResponder;
import dev.ludus.api.PluginContext;
import dev.ludus.api.Registry;
import dev.ludus.api.chat.ChatEndpoint;
import dev.ludus.runner.config.Json;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code check-sim} on every LLM-driven twin of a rule-based user, behind the mock server, under a scripted user model
 * that plays each user as its prompt asks ({@link ScriptedUserModels#good()}) and under a deliberately bad one
 * ({@link ScriptedUserModels#bad()}): each twin is found its host world from its rule-based original, compared with
 * that original on the same hidden state ({@code twin-agreement}), replayed by the world's oracle (the false-negative
 * rate), and the bad model is caught by the checks. {@code -Dludus.checksim.episodes=N} sets the probes per check
 * (default 3; the README's table used 20).
 */
class LlmTwinCheckSimTest {
  static final List<String> TWINS = List.of("emotional-support-llm-user", "intent-llm-user",
      "personalisation-llm-user", "persuasion-llm-user", "tutoring-llm-user", "twenty-questions-llm-user");
  static final Map<String, SimReport> GOOD = new TreeMap<>();
  static final Map<String, SimReport> BAD = new TreeMap<>();

  @BeforeAll
  static void checkEveryTwinUnderBothModels() {
    int episodes = Integer.getInteger("ludus.checksim.episodes", 3);
    try (MockOpenAiServer server = MockOpenAiServer.builder().recordRequests(false).start();
        PluginContext.Owned context = PluginContext.standalone(Registry.load(), Map.of("user-model",
            ChatEndpoint.builder().baseUrl(server.baseUrl()).model("user-sim").apiKeyEnv(null).maxRetries(0)
                .cacheSize(0).build()))) {
      for (String twin : TWINS) {
        GOOD.put(twin, check(context, server, twin, ScriptedUserModels.good(), episodes));
        BAD.put(twin, check(context, server, twin, ScriptedUserModels.bad(), episodes));
      }
    }
    System.out.println(table("good scripted user model", GOOD));
    System.out.println(table("bad scripted user model", BAD));
    GOOD.values().forEach(System.out::print);
    BAD.values().forEach(System.out::print);
  }

  static SimReport check(PluginContext.Owned context, MockOpenAiServer server, String twin, MockResponder model,
      int episodes) {
    server.setResponder(model);
    long before = context.chatUsage().containsKey("user-model") ? context.chatUsage().get("user-model").requests() : 0;
    long t0 = System.nanoTime();
    SimReport r = SimChecks.build(context, twin, Json.YAML.createObjectNode().put("temperature", 0), null, null, null)
        .episodes(episodes).run();
    assertTrue(context.chatUsage().get("user-model").requests() > before, twin + ": its model was called");
    System.out.printf("%s: %d requests in %d ms%n", twin, context.chatUsage().get("user-model").requests() - before,
        (System.nanoTime() - t0) / 1_000_000);
    return r;
  }

  /** The reports as the README's table: one row per user, the rates with n/a where a check does not apply. */
  static String table(String title, Map<String, SimReport> reports) {
    List<String> checks = List.of("start", "confirmation", "unknown-facts", "opening", "stop-token", "user-voice",
        "oracle-replay", "gold-replay", "twin-agreement", "empathy-monotone", "persuasion-monotone", "leak-rejected");
    StringBuilder b = new StringBuilder(title + "\n| user (host) | " + String.join(" | ", checks) + " |\n");
    reports.forEach((name, r) -> {
      b.append("| `").append(name).append("` (").append(r.environment()).append(") |");
      for (String c : checks) {
        double v = r.rate(c);
        b.append(' ').append(Double.isNaN(v) ? "n/a" : String.format(java.util.Locale.ROOT, "%.3f", v)).append(" |");
      }
      b.append('\n');
    });
    return b.toString();
  }

  @Test
  void everyTwinIsHostedByItsOriginalsWorld_andComparedWithItsOriginal() {
    Map<String, String> hosts = Map.of("emotional-support-llm-user", "emotional-support", "intent-llm-user",
        "intent-discovery", "personalisation-llm-user", "personalisation", "persuasion-llm-user", "persuasion",
        "tutoring-llm-user", "tutoring", "twenty-questions-llm-user", "twenty-questions");
    GOOD.forEach((name, r) -> {
      assertEquals(hosts.get(name), r.environment(), name);
      assertFalse(Double.isNaN(r.rate("twin-agreement")), name + ": its rule-based original is its twin: " + r);
      assertFalse(Double.isNaN(r.rate("oracle-replay")), name + ": its world's oracle replays it: " + r);
      assertFalse(Double.isNaN(r.rate("gold-replay")), name + ": the oracle's dialogues won against its original are "
          + "replayed: " + r);
    });
  }

  @Test
  void theWellBehavedModel_startsOpensAndSpeaksAsTheUser_andNeverStopsOnAConfirmationRequest() {
    GOOD.forEach((name, r) -> {
      assertEquals(1.0, r.rate("start"), name + ": " + r);
      assertEquals(1.0, r.rate("opening"), name + ": " + r);
      assertEquals(1.0, r.rate("confirmation"), name + ": " + r);
      assertEquals(1.0, r.rate("user-voice"), name + ": " + r);
      assertTrue(Double.isNaN(r.rate("stop-token")), name + ": no stop token: " + r);
    });
    assertEquals(1.0, GOOD.get("emotional-support-llm-user").rate("empathy-monotone"), GOOD.toString());
    assertEquals(1.0, GOOD.get("persuasion-llm-user").rate("persuasion-monotone"), GOOD.toString());
  }

  @Test
  void theTutoringTwin_rejectsAScriptedLeak_byTheRulesLeakCheck() {
    assertEquals(1.0, GOOD.get("tutoring-llm-user").rate("leak-rejected"), GOOD.get("tutoring-llm-user").toString());
    assertEquals(1.0, BAD.get("tutoring-llm-user").rate("leak-rejected"), "the leak check is the rules', whatever "
        + "the model says");
  }

  @Test
  void theBadModel_isCaught_inEveryTwin() {
    BAD.forEach((name, r) -> {
      assertTrue(r.rate("user-voice") < 1.0, name + " speaks as the assistant: " + r);
      assertTrue(r.rate("user-voice") < GOOD.get(name).rate("user-voice"), name);
    });
    assertEquals(0.0, BAD.get("emotional-support-llm-user").rate("empathy-monotone"), "its emotion falls");
    assertEquals(0.0, BAD.get("emotional-support-llm-user").rate("stop-token"), "text after the stop token");
    assertEquals(0.0, BAD.get("emotional-support-llm-user").rate("unknown-facts"), "it invents a number");
    assertEquals(0.0, BAD.get("persuasion-llm-user").rate("persuasion-monotone"), "its propensity falls to 0");
    assertEquals(0.0, BAD.get("persuasion-llm-user").rate("confirmation"), "it leaves when asked to confirm");
    assertTrue(BAD.get("twenty-questions-llm-user").rate("oracle-replay")
        < GOOD.get("twenty-questions-llm-user").rate("oracle-replay"), "yes to everything: the oracle loses");
    assertEquals(1.0, GOOD.get("twenty-questions-llm-user").rate("gold-replay"), "truthful answers: no false negative");
    assertTrue(BAD.get("persuasion-llm-user").rate("gold-replay") < GOOD.get("persuasion-llm-user").rate("gold-replay"),
        "a persuadee whose propensity is always 0 loses gold dialogues");
    assertTrue(BAD.get("twenty-questions-llm-user").rate("twin-agreement")
        < GOOD.get("twenty-questions-llm-user").rate("twin-agreement"), "and it disagrees with the rules");
  }
}
