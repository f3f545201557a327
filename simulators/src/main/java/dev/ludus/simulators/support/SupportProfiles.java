package dev.ludus.simulators.support;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The profile tables: the built-in one ({@code profiles.json} beside this class) or a user's own file in the same
 * schema (a JSON array of {@link SupportProfile}s). Tables are read once per file and modification time. Thread-safe.
 */
public final class SupportProfiles {
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
  private static final ConcurrentHashMap<String, List<SupportProfile>> CACHE = new ConcurrentHashMap<>();

  private SupportProfiles() {}

  /** The built-in table: 12 profiles, three per need. */
  public static List<SupportProfile> builtIn() {
    return CACHE.computeIfAbsent("builtin", k -> {
      try (InputStream in = SupportProfiles.class.getResourceAsStream("profiles.json")) {
        if (in == null) {
          throw new IllegalStateException("the built-in profiles.json is missing from the class path");
        }
        return check("the built-in profiles.json", List.of(JSON.readValue(in, SupportProfile[].class)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /**
   * The table in {@code file}; fails with an {@link IllegalArgumentException} naming the file and what is wrong
   * (unreadable, not a JSON array of profiles, a bad field, duplicate ids, empty).
   */
  public static List<SupportProfile> load(Path file) {
    long modified;
    try {
      modified = Files.getLastModifiedTime(file).toMillis();
    } catch (IOException e) {
      throw new IllegalArgumentException("profiles file " + file + " cannot be read: " + e.getMessage(), e);
    }
    return CACHE.computeIfAbsent(file.toAbsolutePath() + "@" + modified, k -> {
      try {
        return check("profiles file " + file, List.of(JSON.readValue(file.toFile(), SupportProfile[].class)));
      } catch (IOException e) {
        throw new IllegalArgumentException("profiles file " + file + " is not a JSON array of profiles: "
            + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage()
            : e.getMessage()), e);
      }
    });
  }

  /** The built-in table for an empty {@code file}, else {@link #load}. */
  public static List<SupportProfile> resolve(String file) {
    return file == null || file.isBlank() ? builtIn() : load(Path.of(file));
  }

  private static List<SupportProfile> check(String what, List<SupportProfile> profiles) {
    if (profiles.isEmpty()) {
      throw new IllegalArgumentException(what + " holds no profiles");
    }
    Set<String> ids = new HashSet<>();
    for (SupportProfile p : profiles) {
      if (p == null) {
        throw new IllegalArgumentException(what + " holds a null profile");
      }
      if (!ids.add(p.id())) {
        throw new IllegalArgumentException(what + ": duplicate profile id '" + p.id() + "'");
      }
    }
    return profiles;
  }
}
