package dev.ludus.simulators.persuasion;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ludus.api.Seeds;
import dev.ludus.api.Task;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A table of {@link Persona personas}: the built-in one ({@code personas.json}, 48 generated personas) or a user's
 * JSON file {@code {"personas": [...]}} in the same schema. Immutable and thread-safe; loaded tables are memoised by
 * their absolute path, so that environments created on an event loop do no file I/O after the first.
 *
 * @param personas at least one, with unique ids
 */
public record PersonaTable(List<Persona> personas) {
  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final Map<String, PersonaTable> LOADED = new ConcurrentHashMap<>();
  private static final String BUILT_IN = "personas.json";

  public PersonaTable {
    personas = List.copyOf(personas == null ? List.of() : personas);
    if (personas.isEmpty()) {
      throw new IllegalArgumentException("a persona table needs at least one persona");
    }
    Set<String> ids = new HashSet<>();
    for (Persona p : personas) {
      if (!ids.add(p.id())) {
        throw new IllegalArgumentException("persona id '" + p.id() + "' appears twice");
      }
    }
  }

  /** The built-in table. */
  public static PersonaTable builtIn() {
    return LOADED.computeIfAbsent("built-in:" + BUILT_IN, k -> {
      try (InputStream in = PersonaTable.class.getResourceAsStream(BUILT_IN)) {
        return JSON.readValue(in, PersonaTable.class);
      } catch (IOException e) {
        throw new IllegalStateException("the built-in persona table cannot be read", e);
      }
    });
  }

  /**
   * The table in {@code file} (JSON); fails with an {@link IllegalArgumentException} naming the file and what is wrong.
   */
  public static PersonaTable load(Path file) {
    Path abs = file.toAbsolutePath().normalize();
    return LOADED.computeIfAbsent(abs.toString(), k -> {
      if (!Files.isRegularFile(abs)) {
        throw new IllegalArgumentException("persona file " + abs + " does not exist");
      }
      try {
        return JSON.readValue(abs.toFile(), PersonaTable.class);
      } catch (IOException e) {
        String why = e.getCause() instanceof IllegalArgumentException c ? c.getMessage() : e.getMessage();
        throw new IllegalArgumentException("persona file " + abs + ": " + why, e);
      }
    });
  }

  /** The built-in table when {@code file} is null or blank, else the table in that file. */
  public static PersonaTable of(String file) {
    return file == null || file.isBlank() ? builtIn() : load(Path.of(file));
  }

  public Optional<Persona> find(String id) {
    return personas.stream().filter(p -> p.id().equals(id)).findFirst();
  }

  /**
   * The persona of {@code task}: the one its {@code persona} field names, else one drawn from the task seed. Fails
   * with an {@link IllegalArgumentException} when the field names no persona of the table.
   */
  public Persona choose(Task task) {
    String wanted = task.fields().get("persona");
    if (wanted != null) {
      return find(wanted).orElseThrow(() -> new IllegalArgumentException("task " + task.id() + ": persona '" + wanted
          + "' is not in the table (" + personas.size() + " personas, e.g. " + personas.get(0).id() + ")"));
    }
    return personas.get(new SplittableRandom(Seeds.mix(task.seed(), 0x50E)).nextInt(personas.size()));
  }
}
