package dev.ludus.environments.sql;

import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.PluginContext;
import dev.ludus.api.Task;
import dev.ludus.environments.sql.TextToSqlConfig.Actions;
import dev.ludus.environments.sql.TextToSqlConfig.Mode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Shared fixtures for the text-to-sql tests: a small world, and environments bound to a test's context. */
final class SqlFixtures {
  private SqlFixtures() {}

  static final TextToSqlProvider PROVIDER = new TextToSqlProvider();

  /** Every domain, one database each with one perturbed copy, one question per kind: 35 questions. */
  static TextToSqlConfig small() {
    return TextToSqlConfig.defaults().generating(List.of(), 1, 1, 1).withTimeouts(3_000, 5_000);
  }

  static TextToSqlConfig small(Mode mode, Actions actions) {
    return small().with(mode, actions);
  }

  static BoundEnvironment bound(TextToSqlConfig config, PluginContext context) {
    return PROVIDER.bind(config).withContext(context);
  }

  /** The task that plays question {@code i} of a world. */
  static Task task(int i) {
    return new Task("text-to-sql/test/" + i, i, java.util.Map.of());
  }

  static Path temp(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
