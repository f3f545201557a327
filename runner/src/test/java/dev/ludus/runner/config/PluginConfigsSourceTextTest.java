package dev.ludus.runner.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginConfigsSourceTextTest {
  @Test
  void aFileIsReadInlineTextIsKeptAndAMissingFileNameIsRefused(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("arms.yaml");
    Files.writeString(file, "a: {shapers: [{name: outcome}]}\n");
    assertEquals("a: {shapers: [{name: outcome}]}\n", PluginConfigs.sourceText(file.toString(), "--arms", ""));
    assertEquals("{seed: 3}", PluginConfigs.sourceText("{seed: 3}", "config", ""));
    ConfigException missing = assertThrows(ConfigException.class,
        () -> PluginConfigs.sourceText(dir.resolve("nope.yaml").toString(), "shaping", "for train"));
    assertTrue(missing.getMessage().startsWith("shaping file '") && missing.getMessage()
        .endsWith("nope.yaml' for train does not exist"), missing.getMessage());
  }

  @Test
  void aPathWithoutAYamlSuffixThatNamesNoFileIsRefusedNotReadAsInlineText(@TempDir Path dir) {
    ConfigException missing = assertThrows(ConfigException.class,
        () -> PluginConfigs.sourceText(dir.resolve("shaping").toString(), "shaping", ""));
    assertTrue(missing.getMessage().endsWith("shaping' does not exist"), missing.getMessage());
    assertEquals("outcome", PluginConfigs.sourceText("outcome", "shaping", ""), "a bare word is inline text");
  }
}
