package dev.ludus.simulators.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptTemplatesTest {
  @Test
  void theBuiltInUserTemplateCarriesTau2sGuidelinesAndTheEndTokens() {
    String p = PromptTemplates.of(null).render("llm-user", LlmUser.variables("a nurse", "move a flight", true));
    assertTrue(p.contains("one message at a time"), p);
    assertTrue(p.contains("Never invent information"), p);
    assertTrue(p.contains("###STOP###") && p.contains("###TRANSFER###") && p.contains("###OUT-OF-SCOPE###")
        && p.contains("###DONE###"), p);
    assertTrue(p.endsWith("<scenario>\nmove a flight\n</scenario>"), p);
    String noDone = PromptTemplates.of(null).render("llm-user", LlmUser.variables("", "x", false));
    assertTrue(!noDone.contains("###DONE###") && !noDone.contains("<persona>"), noDone);
  }

  @Test
  void anUnknownVariableOrTemplateIsAConfigErrorNamingIt(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("llm-user.jinja"), "{{ scenario }} {{ mood }}");
    PromptTemplates t = PromptTemplates.of(dir.toString());
    ConfigException e = assertThrows(ConfigException.class, () -> t.render("llm-user", Map.of("scenario", "s")));
    assertTrue(e.getMessage().contains("llm-user"), e.getMessage());
    ConfigException missing = assertThrows(ConfigException.class, () -> t.render("nope", Map.of()));
    assertTrue(missing.getMessage().contains("'nope'"), missing.getMessage());
    assertThrows(ConfigException.class, () -> PromptTemplates.of(dir.resolve("absent").toString()));
  }

  @Test
  void anOverrideReplacesOnlyItsOwnTemplate(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("persuadee.jinja"), "mine {{ turn }}");
    PromptTemplates t = PromptTemplates.of(dir.toString());
    assertEquals("mine 3", t.render("persuadee", Map.of("turn", 3)));
    assertTrue(t.source("llm-user").contains("<scenario>"), "the others stay built in");
  }
}
