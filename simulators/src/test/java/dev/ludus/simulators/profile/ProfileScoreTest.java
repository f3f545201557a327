package dev.ludus.simulators.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProfileScoreTest {
  static final List<ProfileFact> GOLD = List.of(
      new ProfileFact("work", "I work as a nurse.", List.of("nurse")),
      new ProfileFact("pets", "I have a black cat.", List.of("black", "cat")),
      new ProfileFact("health", "I am allergic to cats.", List.of("allergic", "cats")),
      new ProfileFact("home", "I live in Boston.", List.of("boston")));

  @Test
  void theGoldProfileScoresOne() {
    assertEquals(1.0, ProfileScore.f1(GOLD.stream().map(ProfileFact::text).toList(), GOLD), 1e-12);
  }

  @Test
  void paraphrasesMatchByKeywordsOneToOne() {
    // precision 2/3, recall 2/4: F1 = 2·(2/3)(1/2)/(2/3 + 1/2) = 4/7
    List<String> lines = List.of("Works as a NURSE", "Has black cats", "Likes nursing");
    assertEquals(2, ProfileScore.matches(lines, GOLD));
    assertEquals(4.0 / 7.0, ProfileScore.f1(lines, GOLD), 1e-12);
  }

  @Test
  void aLineMatchesTheMoreSpecificFactAndEachFactOnce() {
    assertEquals(1, ProfileScore.matches(List.of("allergic to a black cat"), GOLD));
    assertEquals(2, ProfileScore.matches(List.of("allergic to cats", "allergic to cats", "black cat"), GOLD));
  }

  @Test
  void emptyOrWrongProfilesScoreZero() {
    assertEquals(0.0, ProfileScore.f1(List.of(), GOLD));
    assertEquals(0.0, ProfileScore.f1(List.of("likes trains"), GOLD));
  }

  @Test
  void theFormatIsParsedStrictly() {
    ProfileAnswer.Parsed p = assertInstanceOf(ProfileAnswer.Parsed.class,
        ProfileAnswer.parse("<profile>\n- lives in Boston\n\n2. nurse\n</profile>\n\n<response>\nHow about pets?\n</response>"));
    assertEquals(List.of("lives in Boston", "nurse"), p.answer().lines());
    assertEquals("How about pets?", p.answer().response());
    assertInstanceOf(ProfileAnswer.Parsed.class, ProfileAnswer.parse(ProfileAnswer.format(List.of(), "Hi!")));
    for (String bad : List.of("", "How about pets?", "<response>Hi</response><profile>x</profile>",
        "<profile>x</profile><response> </response>", "<profile>x</profile><response>Hi</response> trailing")) {
      assertInstanceOf(ProfileAnswer.Malformed.class, ProfileAnswer.parse(bad), bad);
    }
  }
}
