package dev.ludus.simulators.intent;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An attribute specification: the K attributes an intent fixes, each with its value set. The built-in one is a
 * travel booking ({@code travel.json}); a user's JSON file in the same schema replaces it:
 *
 * <pre>{@code
 * {"name": "travel-booking", "description": "a trip to book",
 *  "attributes": [{"name": "destination", "aliases": ["city"], "values": ["paris", "rome"], "notSure": 0.0}, ...]}
 * }</pre>
 *
 * Names and values are matched case-insensitively as whole words; a value may recur in two attributes (a question
 * must then name the attribute) but not within one, and no value may equal an attribute's name or alias.
 * Immutable and thread-safe; loaded files are memoised by absolute path.
 *
 * @param name the specification's name
 * @param description what an intent is, for the system prompt (e.g. "a trip to book")
 * @param attributes at least one, unique names
 */
public record IntentSpec(String name, String description, List<Attribute> attributes) {
  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final Map<String, IntentSpec> LOADED = new ConcurrentHashMap<>();
  private static final String BUILT_IN = "travel.json";

  /**
   * One attribute.
   *
   * @param name lower-case words, e.g. {@code destination}
   * @param aliases other words that name it in a question (e.g. {@code city}); may be empty
   * @param values at least two distinct values
   * @param notSure the probability, 0 to 1, that a novice user does not know this attribute (drawn once per episode)
   */
  public record Attribute(String name, List<String> aliases, List<String> values, double notSure) {
    public Attribute {
      name = norm(name);
      if (name.isEmpty()) {
        throw new IllegalArgumentException("an attribute needs a name");
      }
      aliases = aliases == null ? List.of() : aliases.stream().map(IntentSpec::norm).toList();
      values = values == null ? List.of() : values.stream().map(IntentSpec::norm).toList();
      if (values.size() < 2 || new HashSet<>(values).size() != values.size() || values.contains("")) {
        throw new IllegalArgumentException("attribute '" + name + "' needs at least two distinct non-empty values, had "
            + values);
      }
      if (!(notSure >= 0 && notSure <= 1)) {
        throw new IllegalArgumentException("attribute '" + name + "': notSure must be between 0 and 1, was " + notSure);
      }
    }

    /** The name and the aliases. */
    public List<String> words() {
      return java.util.stream.Stream.concat(java.util.stream.Stream.of(name), aliases.stream()).toList();
    }
  }

  public IntentSpec {
    name = name == null || name.isBlank() ? "intent" : name.trim();
    description = description == null || description.isBlank() ? "what the user wants" : description.trim();
    attributes = List.copyOf(attributes == null ? List.of() : attributes);
    if (attributes.isEmpty()) {
      throw new IllegalArgumentException("a specification needs at least one attribute");
    }
    Set<String> words = new HashSet<>();
    for (Attribute a : attributes) {
      for (String w : a.words()) {
        if (!words.add(w)) {
          throw new IllegalArgumentException("attribute name or alias '" + w + "' appears twice");
        }
      }
    }
    for (Attribute a : attributes) {
      for (String v : a.values()) {
        if (words.contains(v)) {
          throw new IllegalArgumentException("value '" + v + "' of attribute '" + a.name()
              + "' is also an attribute's name or alias");
        }
      }
    }
  }

  /** The built-in travel-booking specification (7 attributes). */
  public static IntentSpec builtIn() {
    return LOADED.computeIfAbsent("built-in:" + BUILT_IN, k -> {
      try (InputStream in = IntentSpec.class.getResourceAsStream(BUILT_IN)) {
        return JSON.readValue(in, IntentSpec.class);
      } catch (IOException e) {
        throw new IllegalStateException("the built-in intent specification cannot be read", e);
      }
    });
  }

  /** The specification in {@code file} (JSON); fails naming the file and what is wrong. */
  public static IntentSpec load(Path file) {
    Path abs = file.toAbsolutePath().normalize();
    return LOADED.computeIfAbsent(abs.toString(), k -> {
      if (!Files.isRegularFile(abs)) {
        throw new IllegalArgumentException("specification file " + abs + " does not exist");
      }
      try {
        return JSON.readValue(abs.toFile(), IntentSpec.class);
      } catch (IOException e) {
        String why = e.getCause() instanceof IllegalArgumentException c ? c.getMessage() : e.getMessage();
        throw new IllegalArgumentException("specification file " + abs + ": " + why, e);
      }
    });
  }

  /** The built-in specification when {@code file} is null or blank, else the one in that file. */
  public static IntentSpec of(String file) {
    return file == null || file.isBlank() ? builtIn() : load(Path.of(file));
  }

  public int size() {
    return attributes.size();
  }

  /** The index of the attribute named {@code name} (normalised), if any. */
  public Optional<Integer> index(String name) {
    String n = norm(name);
    for (int i = 0; i < attributes.size(); i++) {
      if (attributes.get(i).name().equals(n)) {
        return Optional.of(i);
      }
    }
    return Optional.empty();
  }

  /** Lower case, every run of characters other than letters and digits made one space, trimmed. */
  static String norm(String s) {
    return s == null ? "" : s.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").trim();
  }
}
