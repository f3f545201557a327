package dev.ludus.runner.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.ConfigException;
import dev.ludus.api.PluginContext;
import dev.ludus.api.Registry;
import dev.ludus.runner.testenv.ContextEnvProvider;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The trainer creates the environment and shapers with the plugin context it is given, and closes its own. */
class TrainerContextTest {
  private static final Registry REGISTRY = Registry.load();
  private static final TrainConfig CONTEXT_ENV = TrainConfig.read("{env: test-context-env, warmStartEpisodes: 0}");

  private static Trainer trainer(TrainConfig config) {
    return new Trainer(REGISTRY, config, null, new PrintWriter(Writer.nullWriter()));
  }

  @BeforeEach
  void clearLogs() {
    ContextEnvProvider.EVENTS.clear();
    ContextEnvProvider.CONTEXTS.clear();
  }

  @Test
  void resolvingBindsTheEnvironmentToTheGivenContextAndProbesIt() {
    try (PluginContext.Owned context = PluginContext.standalone(REGISTRY)) {
      Resolved r = trainer(CONTEXT_ENV).resolve(null, context);
      assertSame(context, r.env().context());
      assertEquals(List.of(context), List.copyOf(ContextEnvProvider.CONTEXTS), "probed once, with that context");
    }
    assertEquals(List.of("open log", "open pool", "close pool", "close log"), List.copyOf(ContextEnvProvider.EVENTS));
  }

  @Test
  void validatingUsesAContextOfItsOwnAndClosesIt() {
    trainer(CONTEXT_ENV).validate();
    assertEquals(List.of("open log", "open pool", "close pool", "close log"), List.copyOf(ContextEnvProvider.EVENTS));
  }

  @Test
  void aBadSimulatedUserFailsValidationNamingIt() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> trainer(TrainConfig.read("{env: twenty-questions, envConfig: {user: nobody}, warmStartEpisodes: 0}"))
            .validate());
    assertTrue(e.getMessage().startsWith("environment 'twenty-questions': user: unknown simulator 'nobody'"),
        e.getMessage());
  }

  @Test
  void validationGivesTheEnvironmentTheRunsChatEndpoints() {
    String env = "{env: test-context-env, warmStartEpisodes: 0, envConfig: {chatClient: user}";
    trainer(TrainConfig.read(env + ", llm: {user: {baseUrl: 'http://127.0.0.1:9/v1', model: small}}}")).validate();
    ConfigException e = assertThrows(ConfigException.class, () -> trainer(TrainConfig.read(env + "}")).validate());
    assertTrue(e.getMessage().contains("user"), e.getMessage());
  }

  @Test
  void theRecipeMeasuresTheEnvironmentWithTheRunsChatEndpoints() {
    ResolvedConfig resolved = Recipe.resolve(REGISTRY, new Recipe.Request("test-context-env", null,
        "envConfig: {chatClient: user}\nllm: {user: {baseUrl: 'http://127.0.0.1:9/v1', model: small}}", null));
    assertEquals("user", resolved.config().envConfig().get("chatClient").asText());
    // measured on episodes that ran: an environment that could not take its chat client fails every episode
    assertEquals(2 * TokenizerCorpus.Options.defaults().randomEpisodes(), resolved.facts().lengths().turns(),
        "every episode of the random agent ran its two turns");
  }
}
