package dev.ludus.simulators.intent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Message;
import dev.ludus.api.Registry;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.Task;
import dev.ludus.api.UserSimulator;
import dev.ludus.api.UserTurn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IntentUserTest {
  private static final IntentSpec SPEC = IntentSpec.builtIn();

  private static Map<String, String> intentOf(UserTurn t) {
    Map<String, String> m = new HashMap<>();
    for (String pair : t.signals().get(IntentSignals.INTENT).orElseThrow().split("; ")) {
      String[] kv = pair.split("=");
      m.put(kv[0], kv[1]);
    }
    return m;
  }

  private static UserSimulator user(String expertise) {
    return new IntentUserProvider().create(new IntentUserConfig(null, expertise));
  }

  private static UserTurn say(UserSimulator u, String text) {
    return u.respond(Message.assistant(text)).toCompletableFuture().join();
  }

  @Test
  void isRegisteredByName() {
    assertTrue(Registry.load().simulators().get(IntentUserProvider.NAME) instanceof IntentUserProvider);
  }

  @Test
  void anExpertAnswersEveryQuestionTruthfullyAndEachAnswerRemovesItsEntropy() {
    for (long seed = 0; seed < 20; seed++) {
      UserSimulator u = user("expert");
      UserTurn open = u.start(Task.generated("intent-discovery", seed), 0).toCompletableFuture().join();
      Map<String, String> intent = intentOf(open);
      assertEquals(24_576, open.signals().get(StandardSignals.CANDIDATE_COUNT).orElseThrow());
      double h = open.signals().get(StandardSignals.CANDIDATE_ENTROPY).orElseThrow();
      assertEquals(3 + 2 + 2 + Math.log(3) / Math.log(2) + 2 + 2 + 2, h, 1e-9);
      String dest = intent.get("destination");
      String other = SPEC.attributes().get(0).values().stream().filter(v -> !v.equals(dest)).findFirst().orElseThrow();
      UserTurn no = say(u, "Is it " + other + "?");
      assertEquals("No, the destination is not " + other + ".", no.reply().content());
      assertEquals(h - 3 + Math.log(7) / Math.log(2), no.signals().get(StandardSignals.CANDIDATE_ENTROPY).orElseThrow(),
          1e-9);
      UserTurn which = say(u, "Where do you want to go?");
      assertEquals("The destination is " + dest + ".", which.reply().content());
      assertEquals(h - 3, which.signals().get(StandardSignals.CANDIDATE_ENTROPY).orElseThrow(), 1e-9);
      assertEquals(1, which.signals().get(IntentSignals.ATTRIBUTES_KNOWN).orElseThrow());
      String month = intent.get("month");
      UserTurn either = say(u, "Is the month " + month + " or "
          + (month.equals("july") ? "april" : "july") + "?");
      assertEquals("The month is " + month + ".", either.reply().content());
      assertFalse(either.signals().get(IntentSignals.NOT_SURE).orElseThrow());
    }
  }

  @Test
  void aNoviceIsNotSureOfTheSameAttributesEveryTimeAndThatRemovesNothing() {
    int unsureSeen = 0;
    for (long seed = 0; seed < 30; seed++) {
      UserSimulator u = user("novice");
      UserTurn open = u.start(Task.generated("intent-discovery", seed), 0).toCompletableFuture().join();
      String unsure = open.signals().get(IntentSignals.UNSURE_OF).orElseThrow();
      assertEquals("novice", open.signals().get(IntentSignals.EXPERTISE).orElseThrow());
      assertFalse(unsure.contains("destination"), "notSure 0 for destination");
      for (IntentSpec.Attribute a : SPEC.attributes()) {
        boolean expected = !unsure.isEmpty() && Arrays.asList(unsure.substring("unsure of ".length()).split(", "))
            .contains(a.name());
        for (String q : new String[] {"What is the " + a.name() + "?", "Is the " + a.name() + " " + a.values().get(0)
            + "?"}) {
          UserTurn t = say(u, q);
          assertEquals(expected, t.signals().get(IntentSignals.NOT_SURE).orElseThrow(), q);
          if (expected) {
            unsureSeen++;
            assertEquals("I'm not sure about the " + a.name() + ".", t.reply().content());
          }
        }
      }
    }
    assertTrue(unsureSeen > 0, "novices are sometimes not sure");
  }

  @Test
  void theFinalSpecificationIsScoredOverTheAttributesTheUserKnowsAndEndsTheConversation() {
    UserSimulator u = user("expert");
    UserTurn open = u.start(Task.generated("intent-discovery", 5), 0).toCompletableFuture().join();
    String intent = open.signals().get(IntentSignals.INTENT).orElseThrow();
    UserTurn right = say(u, "Here you go: <intent>" + intent + "</intent>");
    assertTrue(right.ended());
    assertEquals(1.0, right.signals().get(IntentSignals.SCORE).orElseThrow());
    assertThrows(Exception.class, () -> say(u, "What is the budget?"));

    UserSimulator u2 = user("expert");
    u2.start(Task.generated("intent-discovery", 5), 0).toCompletableFuture().join();
    String wrongDest = intent.replaceFirst("destination=[a-z ]+", "destination=" + (intent.contains("=cairo")
        ? "rome" : "cairo"));
    UserTurn partial = say(u2, "<intent>" + wrongDest + "</intent>");
    assertEquals(6.0 / 7, partial.signals().get(IntentSignals.SCORE).orElseThrow(), 1e-12);
  }

  @Test
  void theGrammarReadsItsPatternsAndRefusesTheRestWithAReason() {
    assertInstanceOf(IntentGrammar.Is.class, IntentGrammar.parse(SPEC, "Is it Paris?"));
    assertInstanceOf(IntentGrammar.Is.class, IntentGrammar.parse(SPEC, "is the budget low"));
    assertInstanceOf(IntentGrammar.Which.class, IntentGrammar.parse(SPEC, "What is the lodging?"));
    assertEquals(new IntentGrammar.Either(1, "july", "april"), IntentGrammar.parse(SPEC, "July or April?"));
    for (String bad : new String[] {"", "hello there", "What is the budget and the month?", "Is it paris or rome or"
        + " cairo?", "paris rome?", "Is it low or july?"}) {
      assertInstanceOf(IntentGrammar.Unclear.class, IntentGrammar.parse(SPEC, bad), bad);
    }
    IntentGrammar.Final f = (IntentGrammar.Final) IntentGrammar.parse(SPEC, "<intent>budget: high, month=mars</intent>");
    assertEquals(Map.of(3, "high"), f.values());
    assertEquals(1, f.problems().size());
  }

  @Test
  void theSameTaskSeedGivesTheSameUser() {
    for (long seed = 0; seed < 10; seed++) {
      UserSimulator a = user("mixed");
      UserSimulator b = user("mixed");
      UserTurn ta = a.start(Task.generated("intent-discovery", seed), 1).toCompletableFuture().join();
      UserTurn tb = b.start(Task.generated("intent-discovery", seed), 2).toCompletableFuture().join();
      assertEquals(ta.signals(), tb.signals());
      assertEquals(say(a, "What is the month?").reply(), say(b, "What is the month?").reply());
    }
  }

  @Test
  void aReplacementSpecificationIsReadAndABadOneIsRefusedNamingTheProblem(@TempDir Path dir) throws Exception {
    Path shop = Files.writeString(dir.resolve("shop.json"), """
        {"name": "product-search", "description": "a laptop to buy", "attributes": [
          {"name": "brand", "values": ["acme", "zeta"], "notSure": 0.5},
          {"name": "screen", "values": ["small", "large"], "notSure": 0.0}]}
        """);
    UserSimulator u = new IntentUserProvider().create(new IntentUserConfig(shop.toString(), "expert"));
    UserTurn open = u.start(Task.generated("x", 1), 0).toCompletableFuture().join();
    assertEquals(4, open.signals().get(StandardSignals.CANDIDATE_COUNT).orElseThrow());
    assertTrue(open.reply().content().contains("a laptop to buy"));
    Path bad = Files.writeString(dir.resolve("bad.json"), """
        {"attributes": [{"name": "brand", "values": ["acme"]}]}
        """);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new IntentUserConfig(bad.toString(), "expert"));
    assertTrue(e.getMessage().startsWith("spec: ") && e.getMessage().contains("at least two distinct"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new IntentUserConfig(null, "guru"));
  }
}
