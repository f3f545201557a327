package dev.ludus.simulators.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PersonalisationUserTest {
  static final UserProfile USER_01 = ProfileTable.builtIn().find("user-01").orElseThrow();

  static UserSimulator started(PersonalisationUserConfig config, String profile) {
    UserSimulator user = new PersonalisationUserProvider().create(config);
    user.start(new Task("p/" + profile, 0, Map.of("profile", profile)), 0).toCompletableFuture().join();
    return user;
  }

  static UserTurn say(UserSimulator user, List<String> profile, String response) {
    return user.respond(Message.assistant(ProfileAnswer.format(profile, response))).toCompletableFuture().join();
  }

  @Test
  void isRegisteredByName() {
    assertTrue(Registry.load().simulators().get(PersonalisationUserProvider.NAME)
        instanceof PersonalisationUserProvider);
  }

  @Test
  void revealsAtMostFifteenPercentPerReplyAndOnlyOnTheRaisedTopic() {
    // user-01 has two home facts and ten facts in all: at most max(1, 1.5) = 1 per reply
    UserSimulator user = started(PersonalisationUserConfig.defaults(), "user-01");
    UserTurn t = say(user, List.of(), "Where do you live?");
    assertEquals("I live in Boston.", t.reply().content());
    assertEquals(1, t.signals().get(PersonalisationSignals.FACTS_REVEALED).orElseThrow());
    assertEquals(List.of("home"), t.signals().get(PersonalisationSignals.TOPICS).orElseThrow());
    UserTurn next = say(user, List.of("lives in Boston"), "And your hometown?");
    assertEquals("I grew up in a big city.", next.reply().content());
    assertEquals(2.0 / 11.0, next.signals().get(PersonalisationSignals.PROFILE_F1).orElseThrow(), 1e-12,
        "precision 1 of 1 line, recall 1 of 10 facts");
    UserTurn done = say(user, List.of("lives in Boston", "grew up in a big city"), "Did you move around a lot?");
    assertTrue(done.reply().content().contains("already told you"), done.reply().content());
    assertEquals(2, done.signals().get(PersonalisationSignals.FACTS_REVEALED).orElseThrow());
  }

  @Test
  void aLargerShareRevealsMorePerReply() {
    UserSimulator user = started(new PersonalisationUserConfig(null, 0.3), "user-01");
    UserTurn t = say(user, List.of(), "Where are you from and where do you live now?");
    assertEquals(2, t.signals().get(PersonalisationSignals.FACTS_REVEALED).orElseThrow());
  }

  @Test
  void aTopicTheUserHasNothingOn_asksToChangeTheTopic() {
    UserSimulator user = started(PersonalisationUserConfig.defaults(), "user-01");
    UserTurn t = say(user, List.of(), "Do you like music?");
    assertTrue(t.reply().content().contains("change the topic") || t.reply().content().contains("something else"));
    assertEquals(0, t.signals().get(PersonalisationSignals.FACTS_REVEALED).orElseThrow());
  }

  @Test
  void flatteryRepetitionAndOffTopicFailTheCheckAndRevealNothing() {
    UserSimulator user = started(PersonalisationUserConfig.defaults(), "user-01");
    UserTurn flattery = say(user, List.of(), "You are so amazing! What do you do for work?");
    assertEquals(List.of("flattery"), flattery.signals().get(PersonalisationSignals.RESPONSE_ISSUES).orElseThrow());
    assertFalse(flattery.signals().get(PersonalisationSignals.RESPONSE_OK).orElseThrow());
    assertTrue(flattery.reply().content().startsWith("No need to flatter me."));
    assertEquals(0, flattery.signals().get(PersonalisationSignals.FACTS_REVEALED).orElseThrow());
    UserTurn ok = say(user, List.of(), "Tell me about your favourite sports team.");
    assertTrue(ok.signals().get(PersonalisationSignals.RESPONSE_OK).orElseThrow());
    UserTurn repeat = say(user, List.of(), "Tell me about your favourite sports team!");
    assertEquals(List.of("repetition"), repeat.signals().get(PersonalisationSignals.RESPONSE_ISSUES).orElseThrow());
    UserTurn offTopic = say(user, List.of(), "Quantum chromodynamics is fascinating.");
    assertEquals(List.of("off-topic"), offTopic.signals().get(PersonalisationSignals.RESPONSE_ISSUES).orElseThrow());
  }

  @Test
  void aMalformedMessage_isAnInvalidActionWithF1Zero() {
    UserSimulator user = started(PersonalisationUserConfig.defaults(), "user-01");
    UserTurn t = user.respond(Message.assistant("Where do you live?")).toCompletableFuture().join();
    assertTrue(t.signals().get(StandardSignals.INVALID_ACTION).orElseThrow().contains("<profile>"));
    assertEquals(0.0, t.signals().get(PersonalisationSignals.PROFILE_F1).orElseThrow());
    assertEquals(0, t.signals().get(PersonalisationSignals.FACTS_REVEALED).orElseThrow());
  }

  @Test
  void theGoldProfileIsASecretSignal() {
    UserSimulator user = new PersonalisationUserProvider().create(PersonalisationUserConfig.defaults());
    UserTurn open = user.start(Task.generated("personalisation", 5), 5).toCompletableFuture().join();
    assertTrue(PersonalisationSignals.PROFILE.secret() && PersonalisationSignals.PROFILE_ID.secret());
    assertEquals(10, open.signals().get(PersonalisationSignals.PROFILE).orElseThrow().size());
  }

  @Test
  void aUsersOwnProfileFileReplacesTheTable(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("p.json"), """
        {"topics": {"garden": ["plants", "flowers"]},
         "profiles": [{"id": "me", "facts": [{"topic": "garden", "text": "I grow tulips.", "keywords": ["tulips"]}]}]}""");
    UserSimulator user = started(new PersonalisationUserConfig(file.toString(), 0.15), "me");
    assertEquals("I grow tulips.", say(user, List.of(), "Do you like flowers?").reply().content());
    Path bad = Files.writeString(dir.resolve("bad.json"), """
        {"topics": {"garden": []}, "profiles": [{"id": "me", "facts": [{"topic": "cars", "text": "x", "keywords": ["x"]}]}]}""");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new PersonalisationUserConfig(bad.toString(), 0.15));
    assertTrue(e.getMessage().contains("has topic 'cars', which is not among the topics [garden]"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new PersonalisationUserConfig(null, 0));
  }
}
