package dev.ludus.environments.social;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ludus.api.ConfigException;
import dev.ludus.environments.social.SotopiaProfiles.AgentProfile;
import dev.ludus.environments.social.SotopiaProfiles.EnvironmentProfile;
import dev.ludus.environments.social.SotopiaProfiles.GameMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The shipped Sotopia tables are what this generator writes: scenarios over five negotiation templates × the six
 * relationships × compatible or conflicting goals × with or without secrets, and twenty agent profiles. Run with
 * {@code -Dsotopia.regenerate=true} to rewrite them.
 */
class SotopiaTablesTest {
  static final Path RESOURCES = Path.of("src/main/resources/dev/ludus/environments/social");

  /** One negotiation: the term, both goals (with %d for the reservation) and both secrets with their key phrases. */
  record Template(String codename, String scenario, String term, String unit, String[] goals, String[] directions,
      int[] compatible, int[] conflicting, String[] secrets, List<List<String>> phrases) {}

  static final List<Template> TEMPLATES = List.of(
      new Template("bike_sale", "One person is selling a used road bike to the other at a neighbourhood swap meet.",
          "price", "dollars", new String[] {"Sell the bike for at least %d dollars.",
              "Buy the bike for at most %d dollars."}, new String[] {"higher", "lower"}, new int[] {60, 80},
          new int[] {90, 60}, new String[] {"The rear gears slip in the highest gear; keep that to yourself.",
              "You already bought a helmet for this exact bike; keep that to yourself."},
          List.of(List.of("gears slip", "gear slips", "slipping gear"), List.of("helmet"))),
      new Template("rent_split", "Two flatmates decide how much of next year's rent the first of them pays.",
          "share", "percent", new String[] {"Pay at most %d percent of the rent.",
              "Have your flatmate pay at least %d percent of the rent."}, new String[] {"lower", "higher"},
          new int[] {55, 45}, new int[] {40, 60}, new String[] {"You just got a large raise; keep that to yourself.",
              "You plan to move out in six months; keep that to yourself."},
          List.of(List.of("raise", "pay rise"), List.of("move out", "moving out"))),
      new Template("loan", "One person asks the other to lend money for a car repair.", "amount", "dollars",
          new String[] {"Borrow at least %d dollars.", "Lend at most %d dollars."}, new String[] {"higher", "lower"},
          new int[] {200, 300}, new int[] {300, 100}, new String[] {"You lost money at the casino last week; keep that "
              + "to yourself.", "You are saving for an engagement ring; keep that to yourself."},
          List.of(List.of("casino", "gambling"), List.of("engagement", "ring"))),
      new Template("deadline", "A colleague asks the other to extend the deadline of a shared report.", "extension",
          "days", new String[] {"Get an extension of at least %d days.", "Grant an extension of at most %d days."},
          new String[] {"higher", "lower"}, new int[] {3, 5}, new int[] {7, 2}, new String[] {"You have not started "
              + "the report yet; keep that to yourself.", "Your manager already moved the review; keep that to "
              + "yourself."}, List.of(List.of("not started", "haven't started"), List.of("manager", "review"))),
      new Template("chores", "Two housemates agree how many hours a week the first of them spends on the garden.",
          "hours", "hours per week", new String[] {"Spend at most %d hours a week on the garden.",
              "Have your housemate spend at least %d hours a week on the garden."}, new String[] {"lower", "higher"},
          new int[] {4, 3}, new int[] {2, 5}, new String[] {"You hurt your back last month; keep that to yourself.",
              "You want the garden perfect for a party you are planning; keep that to yourself."},
          List.of(List.of("back", "injury"), List.of("party"))));

  static List<EnvironmentProfile> scenarios() {
    List<EnvironmentProfile> out = new ArrayList<>();
    for (Template t : TEMPLATES) {
      for (int relationship = 0; relationship < 6; relationship++) {
        for (boolean compatible : new boolean[] {true, false}) {
          for (boolean secret : new boolean[] {false, true}) {
            int[] r = compatible ? t.compatible() : t.conflicting();
            List<String> goals = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
              goals.add(String.format(java.util.Locale.ROOT, t.goals()[i], r[i])
                  + (secret ? " <extra_info>" + t.secrets()[i] + "</extra_info>" : ""));
            }
            String codename = t.codename() + "_" + SotopiaProfiles.RELATIONSHIPS.get(relationship) + "_"
                + (compatible ? "compatible" : "conflicting") + (secret ? "_secret" : "");
            out.add(new EnvironmentProfile("ludus-" + codename, codename, "ludus-generated", t.scenario(), goals,
                relationship, "", "", "", new GameMetadata(t.term(), t.unit(), List.of(r[0], r[1]),
                    List.of(t.directions()), compatible, secret ? t.phrases() : List.of(List.of(), List.of()))));
          }
        }
      }
    }
    return out;
  }

  static final String[][] PEOPLE = {
      {"Amara", "Okafor", "Female", "She/her", "nurse"}, {"Bruno", "Costa", "Male", "He/him", "carpenter"},
      {"Chen", "Wei", "Male", "He/him", "software engineer"}, {"Dana", "Levi", "Female", "She/her", "teacher"},
      {"Elif", "Yilmaz", "Female", "She/her", "architect"}, {"Farid", "Haddad", "Male", "He/him", "chef"},
      {"Greta", "Lindqvist", "Female", "She/her", "journalist"}, {"Hiro", "Tanaka", "Male", "He/him", "musician"},
      {"Ines", "Moreau", "Female", "She/her", "pharmacist"}, {"Jonas", "Berg", "Male", "He/him", "electrician"},
      {"Kavya", "Rao", "Female", "She/her", "data analyst"}, {"Luis", "Ortega", "Male", "He/him", "bus driver"},
      {"Maya", "Cohen", "Female", "She/her", "lawyer"}, {"Noah", "Fischer", "Male", "He/him", "student"},
      {"Olu", "Adeyemi", "Nonbinary", "They/them", "graphic designer"}, {"Priya", "Nair", "Female", "She/her",
          "doctor"}, {"Quinn", "Murphy", "Nonbinary", "They/them", "barista"}, {"Rosa", "Silva", "Female", "She/her",
          "librarian"}, {"Sam", "Novak", "Male", "He/him", "mechanic"}, {"Tariq", "Aziz", "Male", "He/him",
          "accountant"}};
  static final String[] STYLES = {"Directive", "Analytical", "Conceptual", "Behavioral"};
  static final String[] MBTI = {"ISTJ", "ENFP", "INTJ", "ESFJ", "INFP", "ESTP", "ISFJ", "ENTJ"};
  static final String[] MORAL = {"Care/Harm", "Fairness/Cheating", "Loyalty/Betrayal", "Authority/Subversion",
      "Sanctity/Degradation", "Liberty/Oppression"};
  static final String[] SCHWARTZ = {"Benevolence", "Universalism", "Self-direction", "Achievement", "Security",
      "Tradition", "Conformity", "Hedonism", "Stimulation", "Power"};
  static final String[] SECRETS = {"once failed a licensing exam", "keeps a secret savings account",
      "is quietly applying for jobs abroad", "wrote an anonymous advice column", "is afraid of dogs"};

  static List<AgentProfile> agents() {
    List<AgentProfile> out = new ArrayList<>();
    for (int i = 0; i < PEOPLE.length; i++) {
      String[] p = PEOPLE[i];
      String high = i % 2 == 0 ? "High" : "Low";
      String low = i % 3 == 0 ? "Low" : "High";
      out.add(new AgentProfile("ludus-agent-" + i, p[0], p[1], 22 + (i * 7) % 40, p[4], p[2], p[3],
          p[0] + " has worked as a " + p[4] + " for " + (2 + i % 9) + " years.",
          "Openness to Experience - " + high + "; Conscientiousness - " + low + "; Extraversion - " + high
              + "; Agreeableness - " + low + "; Neuroticism - " + (i % 4 == 0 ? "High" : "Low"),
          List.of(MORAL[i % MORAL.length]), List.of(SCHWARTZ[i % SCHWARTZ.length]),
          p[0] + " values " + SCHWARTZ[i % SCHWARTZ.length].toLowerCase(java.util.Locale.ROOT) + " and decides in a "
              + STYLES[i % STYLES.length].toLowerCase(java.util.Locale.ROOT) + " way.",
          STYLES[i % STYLES.length], p[0] + " " + SECRETS[i % SECRETS.length] + ".", MBTI[i % MBTI.length], ""));
    }
    return out;
  }

  static String json(Object value) throws Exception {
    return SotopiaProfiles.JSON.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value) + "\n";
  }

  @Test
  void theShippedTablesAreTheGeneratorsOutput() throws Exception {
    Path agents = RESOURCES.resolve(SotopiaProfiles.SHIPPED_AGENTS);
    Path scenarios = RESOURCES.resolve(SotopiaProfiles.SHIPPED_SCENARIOS);
    if (Boolean.getBoolean("sotopia.regenerate")) {
      Files.createDirectories(agents.getParent());
      Files.writeString(agents, json(agents()));
      Files.writeString(scenarios, json(scenarios()));
    }
    assertEquals(json(agents()), Files.readString(agents));
    assertEquals(json(scenarios()), Files.readString(scenarios));
  }

  @Test
  void theShippedTablesCoverEveryRelationshipBothGoalKindsAndSecretsWithAtLeastFiftyScenarios() {
    SotopiaProfiles.Tables t = SotopiaProfiles.of(null, null);
    assertTrue(t.scenarios().size() >= 50, "scenarios: " + t.scenarios().size());
    Set<String> kinds = new HashSet<>();
    for (EnvironmentProfile e : t.scenarios()) {
      GameMetadata g = e.gameMetadata();
      kinds.add(e.relationship() + "/" + g.compatible() + "/" + !g.secretPhrases().get(0).isEmpty());
      boolean someValueMeetsBoth = false;
      for (int v = 0; v <= 1_000; v++) {
        someValueMeetsBoth |= g.meets(0, v) && g.meets(1, v);
      }
      assertEquals(g.compatible(), someValueMeetsBoth, e.codename());
    }
    assertEquals(6 * 2 * 2, kinds.size(), kinds.toString());
    assertEquals(20, t.agents().size());
  }

  @Test
  void aUsersTableWithoutTheProxiesMetadataIsRefusedByName(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Path own = dir.resolve("envs.json");
    Files.writeString(own, "[{\"pk\": \"x\", \"codename\": \"mine\", \"scenario\": \"s\", \"agent_goals\": [\"a\", "
        + "\"b\"], \"relationship\": 2}]");
    ConfigException e = assertThrows(ConfigException.class, () -> SotopiaProfiles.of(null, own.toString()));
    assertTrue(e.getMessage().contains("environment profile x (mine): the rule proxies need game_metadata"),
        e.getMessage());
  }
}
