package dev.ludus.environments.social;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ludus.api.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sotopia's two tables, in its schemas (snake_case JSON, as {@code sotopia/database/persistent_profile.py} stores
 * them): agent profiles and environment profiles (scenarios). The rule proxies of {@code sotopia} read a scenario's
 * {@code game_metadata} ({@link GameMetadata}). Tables are read once per path and process (memoized); thread-safe.
 */
final class SotopiaProfiles {
  private SotopiaProfiles() {}

  static final String SHIPPED_AGENTS = "sotopia/agent_profiles.json";
  static final String SHIPPED_SCENARIOS = "sotopia/environment_profiles.json";
  /** Sotopia's {@code RelationshipType}, by its integer value. */
  static final List<String> RELATIONSHIPS = List.of("stranger", "know_by_name", "acquaintance", "friend",
      "romantic_relationship", "family_member");

  static final ObjectMapper JSON = JsonMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  /** Sotopia's {@code AgentProfile}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record AgentProfile(String pk, String firstName, String lastName, int age, String occupation, String gender,
      String genderPronoun, String publicInfo, String bigFive, List<String> moralValues,
      List<String> schwartzPersonalValues, String personalityAndValues, String decisionMakingStyle, String secret,
      String mbti, String tag) {
    String name() {
      return firstName + " " + lastName;
    }
  }

  /** Sotopia's {@code EnvironmentProfile}; {@code relationship} is its {@code RelationshipType} (0 to 5). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record EnvironmentProfile(String pk, String codename, String source, String scenario, List<String> agentGoals,
      int relationship, String ageConstraint, String occupationConstraint, String agentConstraint,
      GameMetadata gameMetadata) {}

  /**
   * What the rule proxies read, per agent (index 0 and 1, as {@code agent_goals}): the term negotiated (a number in
   * {@code unit}), each agent's reservation value and the direction it prefers ({@code higher} or {@code lower}),
   * whether the goals are {@code compatible} (some value meets both reservations) or conflicting, and each agent's
   * secret key phrases (empty lists when it has no secret in this scenario).
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record GameMetadata(String term, String unit, List<Integer> reservations, List<String> directions,
      boolean compatible, List<List<String>> secretPhrases) {
    /** Whether {@code value} meets agent {@code i}'s reservation. */
    boolean meets(int i, int value) {
      return directions.get(i).equals("higher") ? value >= reservations.get(i) : value <= reservations.get(i);
    }

    /** +1 when agent {@code i} prefers higher values, −1 when lower. */
    int sign(int i) {
      return directions.get(i).equals("higher") ? 1 : -1;
    }
  }

  /** Both tables. */
  record Tables(List<AgentProfile> agents, List<EnvironmentProfile> scenarios) {}

  private static final Map<String, Tables> MEMO = new ConcurrentHashMap<>();

  /** The tables at these paths (null: the shipped ones), checked. */
  static Tables of(String agentsPath, String scenariosPath) {
    return MEMO.computeIfAbsent(agentsPath + "\u0000" + scenariosPath, k -> load(agentsPath, scenariosPath));
  }

  private static Tables load(String agentsPath, String scenariosPath) {
    List<AgentProfile> agents = read(agentsPath, SHIPPED_AGENTS, new TypeReference<>() {});
    List<EnvironmentProfile> scenarios = read(scenariosPath, SHIPPED_SCENARIOS, new TypeReference<>() {});
    return check(new Tables(agents, scenarios), agentsPath == null ? SHIPPED_AGENTS : agentsPath,
        scenariosPath == null ? SHIPPED_SCENARIOS : scenariosPath);
  }

  private static <T> T read(String path, String shipped, TypeReference<T> type) {
    try {
      if (path == null) {
        try (InputStream in = SotopiaProfiles.class.getResourceAsStream(shipped)) {
          return JSON.readValue(in, type);
        }
      }
      return JSON.readValue(Files.readAllBytes(Path.of(path)), type);
    } catch (IOException e) {
      throw new ConfigException("cannot read the sotopia table " + (path == null ? shipped : path) + ": "
          + e.getMessage());
    }
  }

  static Tables check(Tables t, String agentsSource, String scenariosSource) {
    if (t.agents().size() < 2) {
      throw new ConfigException(agentsSource + " must hold at least 2 agent profiles, holds " + t.agents().size());
    }
    for (AgentProfile a : t.agents()) {
      if (a.firstName() == null || a.lastName() == null) {
        throw new ConfigException(agentsSource + ": agent profile " + a.pk() + " needs first_name and last_name");
      }
    }
    if (t.scenarios().isEmpty()) {
      throw new ConfigException(scenariosSource + " holds no environment profile");
    }
    for (EnvironmentProfile e : t.scenarios()) {
      String at = scenariosSource + ": environment profile " + e.pk() + " (" + e.codename() + ")";
      if (e.agentGoals() == null || e.agentGoals().size() != 2) {
        throw new ConfigException(at + " needs agent_goals for exactly 2 agents");
      }
      if (e.relationship() < 0 || e.relationship() >= RELATIONSHIPS.size()) {
        throw new ConfigException(at + ": relationship must be 0 to 5 " + RELATIONSHIPS + ", was " + e.relationship());
      }
      GameMetadata g = e.gameMetadata();
      if (g == null || g.reservations() == null || g.reservations().size() != 2 || g.directions() == null
          || g.directions().size() != 2 || !g.directions().stream().allMatch(d -> d.equals("higher")
              || d.equals("lower")) || g.secretPhrases() == null || g.secretPhrases().size() != 2) {
        throw new ConfigException(at + ": the rule proxies need game_metadata with term, unit, reservations [r1, r2], "
            + "directions (each 'higher' or 'lower') and secret_phrases [[...], [...]]");
      }
    }
    return t;
  }
}
