package dev.ludus.simulators.llm;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import dev.ludus.api.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The prompt templates of the LLM-driven users: Jinja files ({@code NAME.jinja}), rendered with Jinjava, so that
 * upstream prompts written for Jinja load as they are. The built-in ones ship as resources under
 * {@code dev/ludus/simulators/llm/prompts/}; a configuration's {@code prompts} directory replaces any of them by a
 * file of the same name. Each template's text is read once per JVM (a changed override file is not read again).
 * Immutable and thread-safe.
 */
public final class PromptTemplates {
  static final String RESOURCES = "/dev/ludus/simulators/llm/prompts/";
  private static final Jinjava JINJAVA = new Jinjava(JinjavaConfig.newBuilder().withFailOnUnknownTokens(true).build());

  /** Template texts already read, by directory (empty for the built-in ones) and name: read once per run. */
  private static final java.util.concurrent.ConcurrentMap<String, String> SOURCES =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Rendered prompts by template text and variables, least recently used first out: most episodes of a run share a few
   * personas and scenarios, and Jinjava parses a template on every render.
   */
  private static final int RENDERED_ENTRIES = 4096;
  private static final Map<List<Object>, String> RENDERED = java.util.Collections.synchronizedMap(
      new java.util.LinkedHashMap<>(256, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<List<Object>, String> eldest) {
          return size() > RENDERED_ENTRIES;
        }
      });

  private final Path directory;

  private PromptTemplates(Path directory) {
    this.directory = directory;
  }

  /**
   * The built-in templates, with the files of {@code directory} (null or blank for none) in their place.
   *
   * @throws ConfigException if {@code directory} is given but is not a directory
   */
  public static PromptTemplates of(String directory) {
    if (directory == null || directory.isBlank()) {
      return new PromptTemplates(null);
    }
    Path dir = Path.of(directory.trim());
    if (!Files.isDirectory(dir)) {
      throw new ConfigException("prompts: '" + directory + "' is not a directory; it takes a directory of NAME.jinja "
          + "files replacing the built-in templates of the same name");
    }
    return new PromptTemplates(dir);
  }

  /** The text of template {@code name}: the override file if there is one, else the built-in one. */
  public String source(String name) {
    Objects.requireNonNull(name, "name");
    String key = (directory == null ? "" : directory.toAbsolutePath().toString()) + "\u0000" + name;
    String cached = SOURCES.get(key);
    if (cached == null) {
      cached = read(name);
      SOURCES.putIfAbsent(key, cached);
    }
    return cached;
  }

  private String read(String name) {
    if (directory != null) {
      Path file = directory.resolve(name + ".jinja");
      if (Files.isRegularFile(file)) {
        try {
          return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw new ConfigException("prompts: cannot read " + file + ": " + e.getMessage(), e);
        }
      }
    }
    try (InputStream in = PromptTemplates.class.getResourceAsStream(RESOURCES + name + ".jinja")) {
      if (in == null) {
        throw new ConfigException("prompts: no template named '" + name + "' (built-in ones live in " + RESOURCES + ")");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException("prompts: cannot read the built-in template '" + name + "': " + e.getMessage(), e);
    }
  }

  /**
   * Template {@code name} rendered with {@code variables}; a template that uses an unknown variable, or does not
   * parse, fails with a {@link ConfigException} naming it.
   */
  public String render(String name, Map<String, ?> variables) {
    String source = source(name);
    Map<String, Object> vars = Map.copyOf(variables);
    List<Object> key = List.of(source, vars);
    String cached = RENDERED.get(key);
    if (cached != null) {
      return cached;
    }
    try {
      String rendered = JINJAVA.render(source, vars).strip();
      RENDERED.put(key, rendered);
      return rendered;
    } catch (RuntimeException e) {
      throw new ConfigException("prompts: template '" + name + "' cannot be rendered: " + e.getMessage(), e);
    }
  }
}
