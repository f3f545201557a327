package dev.ludus.simulators.tutoring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tutoring tables: skills (the built-in {@code skills.json} beside this class, or a user's file in the
 * {@link Skill} schema) and, optionally, a user's file of {@link Problem}s replacing the generator. Each file is read
 * once per modification time. Thread-safe.
 */
public final class TutoringTables {
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
  private static final ConcurrentHashMap<String, Object> CACHE = new ConcurrentHashMap<>();

  private TutoringTables() {}

  /** The skills in {@code file} by id, or the built-in ones for an empty name. */
  @SuppressWarnings("unchecked")
  public static Map<String, Skill> skills(String file) {
    if (file == null || file.isBlank()) {
      return (Map<String, Skill>) CACHE.computeIfAbsent("builtin-skills", k -> {
        try (InputStream in = TutoringTables.class.getResourceAsStream("skills.json")) {
          if (in == null) {
            throw new IllegalStateException("the built-in skills.json is missing from the class path");
          }
          return index("the built-in skills.json", JSON.readValue(in, Skill[].class));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
    Path path = Path.of(file);
    return (Map<String, Skill>) CACHE.computeIfAbsent("skills:" + key(path),
        k -> index("skills file " + file, read(path, Skill[].class, "skills")));
  }

  /** The problems in {@code file}, checked against {@code skills}. */
  @SuppressWarnings("unchecked")
  public static List<Problem> problems(String file, Map<String, Skill> skills) {
    Path path = Path.of(file);
    List<Problem> problems = (List<Problem>) CACHE.computeIfAbsent("problems:" + key(path),
        k -> List.of(read(path, Problem[].class, "problems")));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("problems file " + file + " holds no problems");
    }
    for (Problem p : problems) {
      for (String s : p.skills()) {
        if (!skills.containsKey(s)) {
          throw new IllegalArgumentException("problems file " + file + ": problem " + p.id() + " needs skill '" + s
              + "', which the skill table does not have; it has: " + String.join(", ", skills.keySet()));
        }
      }
    }
    return problems;
  }

  private static String key(Path path) {
    try {
      return path.toAbsolutePath() + "@" + Files.getLastModifiedTime(path).toMillis();
    } catch (IOException e) {
      throw new IllegalArgumentException("file " + path + " cannot be read: " + e.getMessage(), e);
    }
  }

  private static <T> T read(Path path, Class<T> type, String what) {
    try {
      return JSON.readValue(path.toFile(), type);
    } catch (IOException e) {
      String detail = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      throw new IllegalArgumentException(what + " file " + path + " is not a JSON array of " + what + ": " + detail, e);
    }
  }

  private static Map<String, Skill> index(String what, Skill[] skills) {
    Map<String, Skill> out = new LinkedHashMap<>();
    for (Skill s : skills) {
      if (out.put(s.id(), s) != null) {
        throw new IllegalArgumentException(what + ": duplicate skill id '" + s.id() + "'");
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(what + " holds no skills");
    }
    return java.util.Collections.unmodifiableMap(out);
  }
}
