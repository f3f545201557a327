package dev.ludus.shaping.judge;

import dev.ludus.api.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A prompt template: text with Jinja-style variables {@code {{ name }}} (spaces optional), filled in one pass,
 * so that a value containing {@code {{ ... }}} is never expanded again. Built in per judge mode (resources
 * {@code dev/ludus/shaping/judge/MODE.txt}) or read from a path that overrides it. Immutable and thread-safe.
 */
final class Template {
  private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*([a-z_]+)\\s*}}");

  private final String text;

  private Template(String text) {
    this.text = text;
  }

  /** The built-in template of {@code mode}, or the file at {@code path} when it is given. */
  static Template load(String mode, String path) {
    if (path != null && !path.isBlank()) {
      try {
        return new Template(Files.readString(Path.of(path.strip()), StandardCharsets.UTF_8));
      } catch (IOException | RuntimeException e) {
        throw new ConfigException("prompt: cannot read the template '" + path + "': " + e.getMessage(), e);
      }
    }
    try (InputStream in = Template.class.getResourceAsStream(mode + ".txt")) {
      return new Template(new String(Objects.requireNonNull(in, "template " + mode).readAllBytes(),
          StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("built-in template '" + mode + "' is unreadable: " + e, e);
    }
  }

  /** The text with every variable replaced by its value ({@code ""} for one {@code values} lacks). */
  String render(Map<String, String> values) {
    Matcher m = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder(text.length() + 1024);
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(values.getOrDefault(m.group(1), "")));
    }
    m.appendTail(out);
    return out.toString();
  }
}
