package dev.ludus.simulators.profile;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ludus.api.Seeds;
import dev.ludus.api.Task;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The profiles and topics of the personalisation user: the built-in table ({@code profiles.json}, 40 generated
 * profiles of 10 facts over 12 topics) or a user's JSON file {@code {"topics": {name: [words]}, "profiles": [{id,
 * facts: [{topic, text, keywords}]}]}}. A topic is raised by a message that contains its name or one of its words
 * (whole words, case-insensitive). Immutable and thread-safe; loaded tables are memoised by absolute path.
 */
public final class ProfileTable {
  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final Map<String, ProfileTable> LOADED = new ConcurrentHashMap<>();
  private static final String BUILT_IN = "profiles.json";

  private final Map<String, List<String>> topics;
  private final Map<String, Pattern> patterns;
  private final List<UserProfile> profiles;

  /**
   * @param topics each topic's words, at least one topic
   * @param profiles at least one, with unique ids, every fact's topic among {@code topics}
   */
  @JsonCreator
  public ProfileTable(@JsonProperty("topics") Map<String, List<String>> topics,
      @JsonProperty("profiles") List<UserProfile> profiles) {
    if (topics == null || topics.isEmpty()) {
      throw new IllegalArgumentException("a profile table needs topics: {name: [words, ...]}");
    }
    Map<String, List<String>> t = new LinkedHashMap<>();
    Map<String, Pattern> p = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : topics.entrySet()) {
      Set<String> words = new LinkedHashSet<>();
      words.add(e.getKey().toLowerCase(Locale.ROOT));
      for (String w : e.getValue() == null ? List.<String>of() : e.getValue()) {
        if (w != null && !w.isBlank()) {
          words.add(w.strip().toLowerCase(Locale.ROOT));
        }
      }
      t.put(e.getKey(), List.copyOf(words));
      p.put(e.getKey(), Pattern.compile("\\b(" + String.join("|", words.stream().map(Pattern::quote).toList()) + ")\\b",
          Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
    }
    this.topics = java.util.Collections.unmodifiableMap(t);
    this.patterns = p;
    this.profiles = List.copyOf(profiles == null ? List.of() : profiles);
    if (this.profiles.isEmpty()) {
      throw new IllegalArgumentException("a profile table needs at least one profile");
    }
    Set<String> ids = new HashSet<>();
    for (UserProfile u : this.profiles) {
      if (!ids.add(u.id())) {
        throw new IllegalArgumentException("profile id '" + u.id() + "' appears twice");
      }
      for (ProfileFact f : u.facts()) {
        if (!t.containsKey(f.topic())) {
          throw new IllegalArgumentException("profile " + u.id() + ": fact '" + f.text() + "' has topic '" + f.topic()
              + "', which is not among the topics " + t.keySet());
        }
      }
    }
  }

  /** Each topic's words, its name first, without duplicates. */
  @JsonProperty("topics")
  public Map<String, List<String>> topics() {
    return topics;
  }

  @JsonProperty("profiles")
  public List<UserProfile> profiles() {
    return profiles;
  }

  /** The built-in table. */
  public static ProfileTable builtIn() {
    return LOADED.computeIfAbsent("built-in:" + BUILT_IN, k -> {
      try (InputStream in = ProfileTable.class.getResourceAsStream(BUILT_IN)) {
        return JSON.readValue(in, ProfileTable.class);
      } catch (IOException e) {
        throw new IllegalStateException("the built-in profile table cannot be read", e);
      }
    });
  }

  /** The table in {@code file}; fails with an {@link IllegalArgumentException} naming the file and what is wrong. */
  public static ProfileTable load(Path file) {
    Path abs = file.toAbsolutePath().normalize();
    return LOADED.computeIfAbsent(abs.toString(), k -> {
      if (!Files.isRegularFile(abs)) {
        throw new IllegalArgumentException("profile file " + abs + " does not exist");
      }
      try {
        return JSON.readValue(abs.toFile(), ProfileTable.class);
      } catch (IOException e) {
        String why = e.getCause() instanceof IllegalArgumentException c ? c.getMessage() : e.getMessage();
        throw new IllegalArgumentException("profile file " + abs + ": " + why, e);
      }
    });
  }

  /** The built-in table when {@code file} is null or blank, else the table in that file. */
  public static ProfileTable of(String file) {
    return file == null || file.isBlank() ? builtIn() : load(Path.of(file));
  }

  public Optional<UserProfile> find(String id) {
    return profiles.stream().filter(p -> p.id().equals(id)).findFirst();
  }

  /** The profile of {@code task}: its {@code profile} field, else drawn from the task seed. */
  public UserProfile choose(Task task) {
    String wanted = task.fields().get("profile");
    if (wanted != null) {
      return find(wanted).orElseThrow(() -> new IllegalArgumentException("task " + task.id() + ": profile '" + wanted
          + "' is not in the table (" + profiles.size() + " profiles, e.g. " + profiles.get(0).id() + ")"));
    }
    return profiles.get(new SplittableRandom(Seeds.mix(task.seed(), 0x9F1)).nextInt(profiles.size()));
  }

  /** The topics {@code text} raises, in table order. */
  public List<String> topicsIn(String text) {
    List<String> out = new ArrayList<>();
    String t = text == null ? "" : text;
    for (Map.Entry<String, Pattern> e : patterns.entrySet()) {
      if (e.getValue().matcher(t).find()) {
        out.add(e.getKey());
      }
    }
    return out;
  }
}
