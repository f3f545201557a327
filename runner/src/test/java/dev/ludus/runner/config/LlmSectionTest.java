package dev.ludus.runner.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.ConfigException;
import dev.ludus.api.chat.ChatEndpoint;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LlmSectionTest {
  @Test
  void namedEndpointsKeepTheDefaultsOfTheFieldsLeftOut() {
    Map<String, ChatEndpoint> llm = LlmSection.read(
        "{judge: {baseUrl: 'http://127.0.0.1:8000/v1/', model: m, maxConcurrency: 16}, user-model: {baseUrl: "
            + "'http://h:1/v1', model: u, apiKeyEnv: EXAMPLE_KEY}}");
    assertEquals(2, llm.size());
    ChatEndpoint judge = llm.get("judge");
    assertEquals("http://127.0.0.1:8000/v1", judge.baseUrl(), "a trailing slash is dropped");
    assertEquals(16, judge.maxConcurrency());
    assertEquals(ChatEndpoint.defaults().maxRetries(), judge.maxRetries());
    assertEquals("EXAMPLE_KEY", llm.get("user-model").apiKeyEnv());
    assertEquals(Map.of(), LlmSection.read(null));
  }

  @Test
  void badSectionsNameTheEndpointAndTheField() {
    assertTrue(message("{judge: {baseUrl: 'http://h/v1', model: m, colour: red}}")
        .startsWith("llm.judge has no field 'colour'; its fields are baseUrl, model, apiKeyEnv"));
    assertTrue(message("{judge: {model: m}}").startsWith("llm.judge needs 'baseUrl'"));
    assertTrue(message("{judge: {baseUrl: 'http://h/v1', model: m, maxConcurrency: 0}}").startsWith("llm.judge: "),
        message("{judge: {baseUrl: 'http://h/v1', model: m, maxConcurrency: 0}}"));
    assertTrue(message("{Judge: {baseUrl: 'http://h/v1', model: m}}").contains("kebab-case"));
    assertTrue(message("[a, b]").startsWith("the llm section must map names to endpoints"));
    assertTrue(message("{judge: 3}").startsWith("llm.judge must be a mapping"));
  }

  private static String message(String source) {
    return assertThrows(ConfigException.class, () -> LlmSection.read(source)).getMessage();
  }
}
