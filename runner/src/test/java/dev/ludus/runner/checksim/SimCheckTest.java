package dev.ludus.runner.checksim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.PluginContext;
import dev.ludus.runner.config.Json;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code check-sim}'s probes on the built-in rule-based users, and on a deliberately bad one that they must catch. */
class SimCheckTest {
  private static PluginContext.Owned context;
  private static final Map<String, SimReport> REPORTS = new java.util.TreeMap<>();

  @BeforeAll
  static void checkEveryBuiltInUser() {
    context = PluginContext.standalone();
    for (String name : new TreeSet<>(context.registry().simulators().names())) {
      String type = context.registry().simulators().get(name).getClass().getName();
      if (!type.startsWith("dev.ludus.simulators.") || type.startsWith("dev.ludus.simulators.llm.")) {
        continue; // test plugins on this class path, and the LLM-driven users (they need an endpoint: LlmUserCheckSimTest)
      }
      REPORTS.put(name, SimChecks.build(context, name, Json.YAML.createObjectNode(), null, null, null).episodes(6)
          .run());
    }
    REPORTS.values().forEach(System.out::print);
  }

  @AfterAll
  static void close() {
    context.close();
  }

  @Test
  void theSevenBuiltInUsersAreChecked() {
    assertEquals(7, REPORTS.size(), REPORTS.keySet().toString());
  }

  @Test
  void theBadUser_isCaughtByEveryCheckItFails() {
    SimReport r = SimCheck.of("bad-user", BadUser::new).episodes(8).run();
    System.out.print(r);
    assertEquals(0.0, r.rate("confirmation"), "it stops at once when asked to confirm");
    assertEquals(0.0, r.rate("unknown-facts"), "it invents a number");
    assertEquals(0.0, r.rate("opening"), "its opening states its hidden goal");
    assertEquals(0.0, r.rate("stop-token"), "its stop message carries more than the token");
    assertTrue(r.rate("user-voice") < 0.6, "it speaks as the assistant in most replies to statements: "
        + r.rate("user-voice"));
    assertEquals(0.0, r.rate("empathy-monotone"), "its emotion falls under an empathic agent");
    assertTrue(Double.isNaN(r.rate("oracle-replay")), "no environment: no replay");
  }

  @Test
  void everyBuiltInUser_isHostedByItsEnvironment_andReplaysItsOracle() {
    for (Map.Entry<String, SimReport> e : REPORTS.entrySet()) {
      assertTrue(e.getValue().environment() != null, e.getKey() + " has no host environment");
      assertTrue(e.getValue().rate("oracle-replay") >= 0.9, e.getKey() + ": " + e.getValue());
    }
  }

  @Test
  void theBuiltInUsers_openWithoutDumpingTheirHiddenState_neverSpeakAsTheAgent_norStopWhenAskedToConfirm() {
    REPORTS.forEach((name, r) -> {
      if (name.equals("scripted-user")) {
        assertEquals(0.0, r.rate("start"), "function-calling's user needs the script its environment's reset writes");
        return;
      }
      assertEquals(1.0, r.rate("start"), name + ": " + r);
      assertEquals(1.0, r.rate("opening"), name + ": " + r);
      assertEquals(1.0, r.rate("user-voice"), name + ": " + r);
      assertEquals(1.0, r.rate("confirmation"), name + ": " + r);
    });
  }

  @Test
  void theFamilySpecificProbes_applyToTheirUsers() {
    assertTrue(REPORTS.get("emotional-support-user").rate("empathy-monotone") >= 0, REPORTS.toString());
    assertEquals(1.0, REPORTS.get("tutoring-student").rate("leak-rejected"), REPORTS.toString());
    assertTrue(!Double.isNaN(REPORTS.get("persuasion-user").rate("persuasion-monotone")));
    assertTrue(Double.isNaN(REPORTS.get("twenty-questions-user").rate("empathy-monotone")), "no emotion there");
  }

  @Test
  void aUserAgreesWithItself_andTheBadUserDisagreesWithARealOne() {
    SimReport self = SimChecks.build(context, "emotional-support-user", Json.YAML.createObjectNode(), null,
        "emotional-support-user", Json.YAML.createObjectNode()).episodes(5).run();
    assertEquals(1.0, self.rate("twin-agreement"));
    SimReport bad = SimCheck.of("emotional-support-user", () -> context.simulator(dev.ludus.api.PluginRef.of(
        "emotional-support-user"))).twin("bad-user", BadUser::new).episodes(5).run();
    assertTrue(bad.rate("twin-agreement") < 0.5, bad.toString());
  }

}
