package dev.ludus.api.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.ConfigException;
import org.junit.jupiter.api.Test;

class ChatEndpointTest {

  @Test
  void defaultsAreALocalVllmWithTheKeyFromOpenAiApiKey() {
    ChatEndpoint e = ChatEndpoint.defaults();
    assertEquals("http://127.0.0.1:8000/v1", e.baseUrl());
    assertEquals("http://127.0.0.1:8000/v1/chat/completions", e.chatCompletionsUrl());
    assertEquals("OPENAI_API_KEY", e.apiKeyEnv());
    assertTrue(e.maxRetries() > 0 && e.maxConcurrency() > 1 && e.cacheSize() > 0 && e.breakerMaxFailures() > 0);
  }

  @Test
  void trailingSlashesAndABlankKeyVariableAreNormalised() {
    ChatEndpoint e = ChatEndpoint.builder().baseUrl("http://h:1/v1//").apiKeyEnv(" ").build();
    assertEquals("http://h:1/v1", e.baseUrl());
    assertNull(e.apiKeyEnv());
    assertEquals(e, e.toBuilder().build(), "equal descriptions are one endpoint");
  }

  @Test
  void badValuesAreConfigErrorsNamingFieldValueAndWhatIsAllowed() {
    assertMessage(ChatEndpoint.builder().baseUrl("ftp://x/v1"), "baseUrl", "'ftp://x/v1'", "http(s) URL");
    assertMessage(ChatEndpoint.builder().baseUrl("http://user:pw@h/v1"), "baseUrl", "credentials");
    assertMessage(ChatEndpoint.builder().model(""), "model", "model name");
    assertMessage(ChatEndpoint.builder().apiKeyEnv("sk-live-123"), "apiKeyEnv", "NAME of an environment variable");
    assertMessage(ChatEndpoint.builder().apiKeyEnv(null).apiKeyRequired(true), "apiKeyEnv", "apiKeyRequired");
    assertMessage(ChatEndpoint.builder().requestTimeoutMillis(0), "requestTimeoutMillis", "'0'", ">= 1");
    assertMessage(ChatEndpoint.builder().maxRetries(101), "maxRetries", "0..100");
    assertMessage(ChatEndpoint.builder().backoffBaseMillis(-1), "backoffBaseMillis", ">= 0");
    assertMessage(ChatEndpoint.builder().backoffBaseMillis(100).backoffMaxMillis(50), "backoffMaxMillis",
        ">= backoffBaseMillis (100)");
    assertMessage(ChatEndpoint.builder().maxRetryAfterMillis(-1), "maxRetryAfterMillis", ">= 0");
    assertMessage(ChatEndpoint.builder().breakerMaxFailures(0), "breakerMaxFailures", ">= 1");
    assertMessage(ChatEndpoint.builder().breakerOpenMillis(0), "breakerOpenMillis", ">= 1");
    assertMessage(ChatEndpoint.builder().maxConcurrency(0), "maxConcurrency", ">= 1");
    assertMessage(ChatEndpoint.builder().cacheSize(-5), "cacheSize", "'-5'", ">= 0");
  }

  @Test
  void survivesAJacksonRoundTripAsAConfigSectionIsBound() throws Exception {
    ObjectMapper m = new ObjectMapper();
    ChatEndpoint e = ChatEndpoint.builder().baseUrl("http://judge:9000/v1").model("judge").maxConcurrency(8).build();
    ObjectNode tree = m.valueToTree(e);
    tree.put("cacheSize", 0);
    assertEquals(e.toBuilder().cacheSize(0).build(), m.treeToValue(tree, ChatEndpoint.class));
  }

  private static void assertMessage(ChatEndpoint.Builder b, String... parts) {
    ConfigException e = assertThrows(ConfigException.class, b::build);
    assertTrue(e.getMessage().startsWith("chat endpoint: " + parts[0] + " "), e.getMessage());
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "'" + p + "' missing from: " + e.getMessage());
    }
  }
}
