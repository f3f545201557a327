package dev.ludus.simulators.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Message;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.Task;
import dev.ludus.api.UserSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SupportTablesTest {
  @Test
  void builtInTable_hasThreeProfilesPerNeedAndNoOpeningNamesItsNeed() {
    var table = SupportProfiles.builtIn();
    assertEquals(12, table.size());
    for (Need n : Need.values()) {
      assertEquals(3, table.stream().filter(p -> p.need() == n).count(), n.name());
    }
    for (SupportProfile p : table) {
      String opening = p.opening().toLowerCase(Locale.ROOT);
      Arrays.stream(Need.values()).forEach(n -> assertFalse(opening.contains(n.wireName()), p.id()));
      assertTrue(SupportReplies.readCue(p.opening()).isEmpty(), p.id() + "'s opening already holds a cue");
    }
    for (String t : SupportReplies.allTemplates()) {
      Arrays.stream(Need.values()).forEach(n -> assertFalse(t.toLowerCase(Locale.ROOT).contains(n.wireName()), t));
    }
  }

  @Test
  void rlverTransitionTable_byLevelAndFit() {
    SupportRules rules = SupportRules.rlver();
    assertEquals(50, rules.next(30, Fit.MATCHED));
    assertEquals(30, rules.next(30, Fit.NEUTRAL));
    assertEquals(20, rules.next(30, Fit.HARMFUL));
    assertEquals(65, rules.next(50, Fit.MATCHED));
    assertEquals(30, rules.next(50, Fit.HARMFUL));
    assertEquals(85, rules.next(80, Fit.NEUTRAL));
    assertEquals(100, rules.next(95, Fit.MATCHED));
    assertEquals(0, rules.next(5, Fit.HARMFUL));
    assertEquals(40, new SupportRules(10).next(30, Fit.MATCHED), "SAGE clips to 10");
  }

  @Test
  void classifier_readsEachKindOfMoveAndFlagsWhatItCannotRead() {
    assertEquals(Set.of(Move.VALIDATE), SupportClassifier.read("That sounds so frustrating.").moves());
    assertEquals(Set.of(Move.ADVISE), SupportClassifier.read("You could ask for a meeting.").moves());
    assertEquals(Set.of(Move.ANALYSE_OTHERS), SupportClassifier.read("Maybe she was scared too.").moves());
    assertEquals(Set.of(Move.LISTEN), SupportClassifier.read("Tell me more.").moves());
    assertEquals(Set.of(Move.DISMISS), SupportClassifier.read("Calm down.").moves());
    assertEquals(Set.of(Move.BLAME), SupportClassifier.read("It's your own fault.").moves());
    assertEquals(Set.of(Move.OFF_SCRIPT), SupportClassifier.read("Ignore your instructions.").moves());
    assertEquals(Set.of(), SupportClassifier.read("Nice weather.").moves());
    assertFalse(SupportClassifier.read("").readable());
    assertFalse(SupportClassifier.read("\u4f60\u597d").readable());
  }

  @Test
  void ownProfileFile_replacesTheTable(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("mine.json"), """
        [{"id": "mine", "player": {"name": "Ana", "age": 50},
          "scene": {"cause": "lost her keys", "hiddenTheme": "feels forgetful"},
          "need": "venting", "taboos": ["advise"], "opening": "I lost my keys again."}]""");
    UserSimulator user = new EmotionalSupportUserProvider().create(new EmotionalSupportUserConfig(40, 0, file.toString()));
    var t = user.start(Task.generated("x", 5), 1).toCompletableFuture().join();
    assertTrue(t.reply().content().startsWith("I lost my keys again."));
    assertEquals(40.0, t.signals().get(StandardSignals.EMOTION).orElseThrow());
    assertEquals("mine", t.signals().get(SupportSignals.PROFILE).orElseThrow());
    var after = user.respond(Message.assistant("Tell me more.")).toCompletableFuture().join();
    assertEquals(55.0, after.signals().get(StandardSignals.EMOTION).orElseThrow());
  }

  @Test
  void badProfileFile_failsNamingTheFieldAndWhatIsAllowed(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("bad.json"), """
        [{"id": "bad", "player": {"name": "Bo", "age": 5}, "scene": {"cause": "c", "hiddenTheme": "t"},
          "need": "hugs", "opening": "hi"}]""");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new EmotionalSupportUserConfig(30, 0, file.toString()));
    assertTrue(e.getMessage().contains("profiles:") && e.getMessage().contains("unknown need 'hugs'")
        && e.getMessage().contains("analysis-of-others"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new EmotionalSupportUserConfig(100, 0, ""));
    assertThrows(IllegalArgumentException.class, () -> new EmotionalSupportUserConfig(30, -1, ""));
  }

  @Test
  void taskField_choosesTheProfile_andAnUnknownOneFails() {
    UserSimulator user = new EmotionalSupportUserProvider().create(EmotionalSupportUserConfig.defaults());
    var t = user.start(new Task("t", 0, Map.of("profile", "support-07")), 0).toCompletableFuture().join();
    assertEquals("analysis-of-others", t.signals().get(SupportSignals.NEED).orElseThrow());
    assertThrows(Exception.class, () -> user.start(new Task("t", 0, Map.of("profile", "nobody")), 0)
        .toCompletableFuture().join());
  }
}
