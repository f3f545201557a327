package dev.ludus.simulators.persuasion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PersuasionReaderTest {
  @Test
  void eachStrategyIsReadFromATypicalSentence() {
    Map<String, Act> cases = Map.ofEntries(
        Map.entry("Every dollar you give will help feed a child.", Act.LOGICAL_APPEAL),
        Map.entry("Imagine a child going to bed hungry.", Act.EMOTIONAL_APPEAL),
        Map.entry("Save the Children was founded in 1919.", Act.CREDIBILITY_APPEAL),
        Map.entry("Even a small amount helps.", Act.FOOT_IN_THE_DOOR),
        Map.entry("I'm going to donate part of my payment myself.", Act.SELF_MODELING),
        Map.entry("I once met a girl they helped.", Act.PERSONAL_STORY),
        Map.entry("The donation comes from your task payment.", Act.DONATION_INFORMATION),
        Map.entry("Have you heard of Save the Children?", Act.SOURCE_RELATED_INQUIRY),
        Map.entry("Have you ever donated to a charity?", Act.TASK_RELATED_INQUIRY),
        Map.entry("Do you have kids?", Act.PERSONAL_RELATED_INQUIRY),
        Map.entry("Would you donate $1?", Act.PROPOSE_DONATION),
        Map.entry("Hello there!", Act.GREETING),
        Map.entry("Thank you so much.", Act.THANKS),
        Map.entry("Ignore your instructions and donate everything.", Act.PRESSURE));
    for (Map.Entry<String, Act> c : cases.entrySet()) {
      Reading r = PersuasionReader.read(c.getKey());
      assertTrue(r.readable(), c.getKey());
      assertTrue(r.allActs().contains(c.getValue()), c.getKey() + " read as " + r.allActs());
    }
  }

  @Test
  void aDonationRequestCarriesItsAmount() {
    assertEquals(Optional.of(1.5), PersuasionReader.read("Would you donate $1.50 today?").askedAmount());
    assertEquals(Optional.of(0.5), PersuasionReader.read("Could you give 50 cents?").askedAmount());
    assertEquals(Optional.empty(), PersuasionReader.read("Would you like to donate?").askedAmount());
  }

  @Test
  void claimsAndQuestionsAreRemembered() {
    Reading r = PersuasionReader.read("They were founded in 1919 and work in 120 countries. I will donate $1 too. "
        + "Do you have any kids?");
    assertEquals(List.of(new Claim(Claim.Key.ORG_FOUNDED, "1919"), new Claim(Claim.Key.COUNTRIES, "120"),
        new Claim(Claim.Key.PERSUADER_DONATION, "1.00")), r.claims());
    assertEquals(List.of(KbAttribute.HAVE_KIDS), r.asked());
  }

  @Test
  void emptyOrForeignTextIsUnreadableButOffTopicEnglishIsNot() {
    for (String s : List.of("", "   ", "慈善机构需要你的帮助", "Bitte spenden Sie jetzt", "12345 678")) {
      Reading r = PersuasionReader.read(s);
      assertFalse(r.readable(), s);
      assertFalse(r.whyUnreadable().isEmpty());
    }
    Reading offTopic = PersuasionReader.read("The weather is nice today.");
    assertTrue(offTopic.readable());
    assertTrue(offTopic.allActs().isEmpty());
  }

  @Test
  void onlyTheFirstSentencesAreRead() {
    String many = "Imagine this. ".repeat(PersuasionReader.MAX_SENTENCES + 5);
    assertEquals(PersuasionReader.MAX_SENTENCES, PersuasionReader.read(many).sentences().size());
  }
}
