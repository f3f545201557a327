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
      Trainer.Resolved r = trainer(CONTEXT_ENV).resolve(null, context);
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
}
