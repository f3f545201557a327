package dev.ludus.environments.dialogue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.ConfigBinder;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Message;
import dev.ludus.api.PluginContext;
import dev.ludus.api.PluginRef;
import dev.ludus.api.Registry;
import dev.ludus.api.SimulatorProvider;
import dev.ludus.api.Signals;
import dev.ludus.api.Task;
import dev.ludus.api.UserSimulator;
import dev.ludus.api.UserTurn;
import dev.ludus.api.testing.EnvTestKit;
import dev.ludus.api.testing.EnvTestKit.Played;
import dev.ludus.simulators.questions.TwentyQuestionsUserProvider;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Twenty questions gets its simulated user through the registry, and a configuration can swap it. */
class TwentyQuestionsUserChoiceTest {
  private static final TwentyQuestionsProvider PROVIDER = new TwentyQuestionsProvider();
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** A test user who always says no, with a configurable opening; counts the users it made and closed. */
  public static final class NaysayerProvider implements SimulatorProvider<NaysayerProvider.Config> {
    public record Config(String opening) {}

    static final AtomicInteger CREATED = new AtomicInteger();
    static final AtomicInteger CLOSED = new AtomicInteger();

    @Override
    public String name() {
      return "test-naysayer";
    }

    @Override
    public String description() {
      return "says no to everything";
    }

    @Override
    public Class<Config> configType() {
      return Config.class;
    }

    @Override
    public Config defaultConfig() {
      return new Config("I thought of something.");
    }

    @Override
    public UserSimulator create(Config config) {
      CREATED.incrementAndGet();
      return new UserSimulator() {
        @Override
        public CompletionStage<UserTurn> start(Task task, long seed) {
          return CompletableFuture.completedFuture(new UserTurn(Message.user(config.opening()), Signals.empty(), false));
        }

        @Override
        public CompletionStage<UserTurn> respond(Message agentMessage) {
          return CompletableFuture.completedFuture(new UserTurn(Message.user("No."), Signals.empty(), false));
        }

        @Override
        public void close() {
          CLOSED.incrementAndGet();
        }
      };
    }
  }

  private static final Registry REGISTRY =
      dev.ludus.api.testing.TestRegistries.with(SimulatorProvider.class, NaysayerProvider.class);

  private static TwentyQuestionsConfig read(String json) throws Exception {
    return ConfigBinder.bind(PROVIDER, JSON.readTree(json));
  }

  @Test
  void theDefaultUserIsTheRuleBasedOneFoundByName() throws Exception {
    assertEquals(PluginRef.of(TwentyQuestionsUserProvider.NAME), TwentyQuestionsConfig.defaults().user());
    assertEquals(TwentyQuestionsConfig.defaults(), read("{\"user\": \"twenty-questions-user\"}"));
    Played p = EnvTestKit.replay(PROVIDER.bind(TwentyQuestionsConfig.defaults()),
        new Task("twenty-questions/cat", 0, Map.of("target", "cat")), 1, List.of(Message.assistant("Is it the cat?")));
    assertTrue(p.succeeded(), "the rule-based user knows its target: " + p.last());
  }

  @Test
  void aConfigurationSwapsTheUserForAnotherRegisteredSimulatorWithItsOwnConfig() throws Exception {
    TwentyQuestionsConfig config = read("{\"maxTurns\": 2, \"user\": {\"name\": \"test-naysayer\", "
        + "\"config\": {\"opening\": \"Guess, if you can.\"}}}");
    int created = NaysayerProvider.CREATED.get();
    int closed = NaysayerProvider.CLOSED.get();
    try (PluginContext.Owned context = PluginContext.standalone(REGISTRY)) {
      BoundEnvironment env = PROVIDER.bind(config).withContext(context);
      Played p = EnvTestKit.replay(env, new Task("twenty-questions/cat", 0, Map.of("target", "cat")), 1,
          List.of(Message.assistant("Is it the cat?"), Message.assistant("Is it an animal?")));
      assertEquals("Guess, if you can.", p.reset().observation().get(1).content());
      assertEquals("No.", p.steps().get(0).observation().get(0).content(), "the naysayer, not the truthful user");
      assertTrue(p.last().truncated() && !p.succeeded());
    }
    assertEquals(created + 1, NaysayerProvider.CREATED.get());
    assertEquals(closed + 1, NaysayerProvider.CLOSED.get(), "the environment closes its user");
  }

  @Test
  void anUnknownSimulatorFailsAtCreationNamingTheFieldAndTheKnownSimulators() throws Exception {
    TwentyQuestionsConfig config = read("{\"user\": \"nobody\"}");
    try (PluginContext.Owned context = PluginContext.standalone(REGISTRY)) {
      ConfigException e = assertThrows(ConfigException.class, () -> PROVIDER.bind(config).withContext(context).probe());
      assertTrue(REGISTRY.simulators().names().containsAll(java.util.Set.of("test-naysayer", "twenty-questions-user")));
      assertEquals("environment 'twenty-questions': user: unknown simulator 'nobody'; known simulators: "
          + String.join(", ", new java.util.TreeSet<>(REGISTRY.simulators().names())), e.getMessage());
    }
  }

  @Test
  void aBadSimulatorConfigFailsNamingTheSimulatorsFields() throws Exception {
    TwentyQuestionsConfig config = read("{\"user\": {\"name\": \"test-naysayer\", \"config\": {\"opener\": \"x\"}}}");
    try (PluginContext.Owned context = PluginContext.standalone(REGISTRY)) {
      ConfigException e = assertThrows(ConfigException.class, () -> PROVIDER.bind(config).withContext(context).probe());
      assertEquals("environment 'twenty-questions': user: config for 'test-naysayer': unknown field 'opener'; "
          + "allowed fields: opening (a string)", e.getMessage());
    }
  }

  @Test
  void theRuleBasedUserTakesItsPoolFromTheEnvironmentsFieldsNotAConfigOfItsOwn() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> read("{\"user\": {\"name\": \"twenty-questions-user\", \"config\": {\"candidates\": 5}}}"));
    assertTrue(e.getMessage().startsWith("config for 'twenty-questions': user: twenty-questions-user plays the "
        + "environment's categories, candidates and candidateListLimit; set those fields instead"), e.getMessage());
  }
}
