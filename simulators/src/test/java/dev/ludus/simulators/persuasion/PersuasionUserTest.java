package dev.ludus.simulators.persuasion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.ConfigBinder;
import dev.ludus.api.Message;
import dev.ludus.api.Registry;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.Task;
import dev.ludus.api.UserSimulator;
import dev.ludus.api.UserTurn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PersuasionUserTest {
  static UserTurn join(CompletionStage<UserTurn> stage) {
    return stage.toCompletableFuture().join();
  }

  static UserSimulator started(String persona) {
    UserSimulator user = new PersuasionUserProvider().create(PersuasionUserConfig.defaults());
    join(user.start(new Task("persuasion/" + persona, 3, Map.of("persona", persona)), 0));
    return user;
  }

  static UserTurn say(UserSimulator user, String text) {
    return join(user.respond(Message.assistant(text)));
  }

  @Test
  void isRegisteredByName() {
    assertTrue(Registry.load().simulators().get(PersuasionUserProvider.NAME) instanceof PersuasionUserProvider);
  }

  @Test
  void start_publishesTheHiddenStateAsSecretsAndSaysTheOpening() {
    UserSimulator user = new PersuasionUserProvider().create(PersuasionUserConfig.defaults());
    UserTurn open = join(user.start(Task.generated("persuasion", 11), 11));
    assertEquals(PersuadeeReplies.OPENING, open.reply().content());
    assertTrue(PersuasionSignals.PROPENSITY.secret() && PersuasionSignals.PERSONA.secret());
    double p = open.signals().get(PersuasionSignals.PROPENSITY).orElseThrow();
    assertTrue(p >= 0 && p <= 0.5, "start propensity " + p);
    assertFalse(open.reply().content().contains(open.signals().get(PersuasionSignals.PERSONA).orElseThrow()));
  }

  @Test
  void theSameTaskGivesTheSamePersonaAndState() {
    Task task = Task.generated("persuasion", 42);
    UserTurn a = join(new PersuasionUserProvider().create(PersuasionUserConfig.defaults()).start(task, 1));
    UserTurn b = join(new PersuasionUserProvider().create(PersuasionUserConfig.defaults()).start(task, 2));
    assertEquals(a.signals(), b.signals());
  }

  @Test
  void aStrategyRaisesThePropensityAndIsReported() {
    UserSimulator user = started("p4g-05");
    double before = PersuasionRules.initial(PersonaTable.builtIn().find("p4g-05").orElseThrow(), 3).propensity();
    UserTurn t = say(user, "Imagine a little girl going to sleep hungry every night.");
    assertEquals(List.of("emotional-appeal"), t.signals().get(PersuasionSignals.STRATEGIES).orElseThrow());
    assertTrue(t.signals().get(PersuasionSignals.PROPENSITY).orElseThrow() > before);
    assertFalse(t.signals().get(PersuasionSignals.REPETITION).orElseThrow());
  }

  @Test
  void repeatingASentence_isFlaggedAndCostsPropensity() {
    UserSimulator user = started("p4g-05");
    UserTurn first = say(user, "Every dollar you give will help provide food for a child.");
    UserTurn again = say(user, "Every dollar you give will provide food for a child!");
    assertTrue(again.signals().get(PersuasionSignals.REPETITION).orElseThrow());
    assertTrue(again.signals().get(PersuasionSignals.PROPENSITY).orElseThrow()
        < first.signals().get(PersuasionSignals.PROPENSITY).orElseThrow());
    assertTrue(again.reply().content().contains("already told me"));
  }

  @Test
  void contradictingAnEarlierClaim_isAnInconsistency() {
    UserSimulator user = started("p4g-05");
    assertFalse(say(user, "Save the Children was founded in 1919.").signals()
        .get(PersuasionSignals.INCONSISTENCY).orElseThrow());
    UserTurn t = say(user, "The charity was established in 1950 by volunteers.");
    assertTrue(t.signals().get(PersuasionSignals.INCONSISTENCY).orElseThrow());
    assertEquals("org-founded: said 1919, now 1950", t.signals().get(PersuasionSignals.CONTRADICTION).orElseThrow());
  }

  @Test
  void askingAgainWhatWasAnswered_isAnInconsistency() {
    UserSimulator user = started("p4g-05");
    UserTurn first = say(user, "Do you have any kids?");
    assertFalse(first.signals().get(PersuasionSignals.INCONSISTENCY).orElseThrow());
    UserTurn again = say(user, "So, do you have kids?");
    assertEquals("asked again: have-kids", again.signals().get(PersuasionSignals.CONTRADICTION).orElseThrow());
  }

  @Test
  void anUnwillingPersuadeeDeclinesAndAWillingOnePromisesAtMostItsWillingness(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("personas.json");
    Files.writeString(file, """
        {"personas": [
          %s,
          %s
        ]}""".formatted(persona("cold", 0.1), persona("warm", 0.7)));
    UserSimulator cold = new PersuasionUserProvider().create(new PersuasionUserConfig(file.toString()));
    join(cold.start(new Task("t", 1, Map.of("persona", "cold")), 0));
    UserTurn no = say(cold, "Would you donate $1?");
    assertFalse(no.ended());
    assertTrue(no.reply().content().contains("don't think I want to donate"));
    UserSimulator warm = new PersuasionUserProvider().create(new PersuasionUserConfig(file.toString()));
    join(warm.start(new Task("t", 1, Map.of("persona", "warm")), 0));
    UserTurn yes = say(warm, "Would you donate $2?");
    assertTrue(yes.ended());
    double w = PersuasionRules.willingness(0.7);
    assertEquals(w, yes.signals().get(PersuasionSignals.DONATION).orElseThrow(), 1e-9);
    assertTrue(w > 0 && w < 2);
    assertThrows(Exception.class, () -> join(warm.respond(Message.assistant("hello"))));
  }

  @Test
  void pushingTooHard_makesThePersuadeeLeaveWithoutDonating() {
    UserSimulator user = started("p4g-05");
    UserTurn t = null;
    for (int i = 0; i < 30 && (t == null || !t.ended()); i++) {
      t = say(user, "You are so selfish and greedy " + i + ".");
    }
    assertTrue(t.ended());
    assertEquals(0.0, t.signals().get(PersuasionSignals.DONATION).orElseThrow());
    assertTrue(t.reply().content().contains("Goodbye"));
  }

  @Test
  void aBadPersonaFileOrPersona_isRefusedNamingWhatIsWrong(@TempDir Path dir) throws Exception {
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> new PersuasionUserConfig(dir.resolve("nope.json").toString()));
    assertTrue(missing.getMessage().startsWith("personas: persona file"), missing.getMessage());
    Path bad = Files.writeString(dir.resolve("bad.json"), "{\"personas\": [" + persona("x", 0.2)
        .replace("\"rational\": 3", "\"rational\": 9") + "]}");
    IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
        () -> new PersuasionUserConfig(bad.toString()));
    assertTrue(range.getMessage().contains("rational must be on the 1-5 scale, was 9"), range.getMessage());
    UserSimulator user = new PersuasionUserProvider().create(PersuasionUserConfig.defaults());
    assertThrows(Exception.class, () -> join(user.start(new Task("t", 0, Map.of("persona", "nobody")), 0)));
    assertTrue(ConfigBinder.tree(PersuasionUserConfig.defaults()).has("personas"));
  }

  @Test
  void aPersonaWithoutFixedPropensity_derivesItFromItsTraits() {
    Persona generous = PersonaTable.builtIn().personas().stream()
        .max((a, b) -> Double.compare(a.values().benevolence(), b.values().benevolence())).orElseThrow();
    Persona mean = PersonaTable.builtIn().personas().stream()
        .min((a, b) -> Double.compare(a.values().benevolence(), b.values().benevolence())).orElseThrow();
    assertTrue(generous.propensity() == null && mean.propensity() == null);
    assertEquals(Optional.empty(), Optional.ofNullable(generous.resistance()));
    double g = PersuasionRules.initial(generous, 0).propensity();
    double m = PersuasionRules.initial(mean, 0).propensity();
    assertTrue(g > m - 0.3, "benevolence counts: " + g + " vs " + m);
  }

  static String persona(String id, double propensity) {
    return """
        {"id": "%s", "big_five": {"extrovert": 3, "agreeable": 3, "conscientious": 3, "neurotic": 3, "open": 3},
         "values": {"conform": 3, "tradition": 3, "benevolence": 3, "universalism": 3, "self_direction": 3,
                    "stimulation": 3, "hedonism": 3, "achievement": 3, "power": 3, "security": 3},
         "moral": {"care": 3, "fairness": 3, "loyalty": 3, "authority": 3, "purity": 3},
         "decision_style": {"rational": 3, "intuitive": 3},
         "heard_of_org": false, "have_kids": true, "donated_before": false,
         "propensity": %s, "resistance": 0.2}""".formatted(id, propensity);
  }
}
