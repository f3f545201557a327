package dev.ludus.runner.checksim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.AnyEnvironment;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.ConfigBinder;
import dev.ludus.api.ConfigException;
import dev.ludus.api.EnvironmentProvider;
import dev.ludus.api.MultiAgentEnvironmentProvider;
import dev.ludus.api.ForwardingPluginContext;
import dev.ludus.api.PluginContext;
import dev.ludus.api.PluginRef;
import dev.ludus.api.Registry;
import dev.ludus.api.SimulatorProvider;
import dev.ludus.api.UserSimulator;
import dev.ludus.runner.config.Json;
import dev.ludus.simulators.llm.RuleBasedTwin;
import dev.ludus.simulators.llm.TutoringLlmUserConfig;
import dev.ludus.simulators.tutoring.ProblemGenerator;
import dev.ludus.simulators.tutoring.TutoringUserConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Builds a {@link SimCheck} for a registered simulated user: its configuration, the environment that hosts it (found
 * by asking every single-agent environment with a {@code user} field which simulator its default configuration
 * creates, or named; for an LLM-driven twin, the one hosting its rule-based original), configured to play this user;
 * its twin (named, or for an LLM-driven twin ({@link RuleBasedTwin}) its rule-based original on the same rules, so
 * on the same hidden state); and, for the tutoring students, where the leak probe finds the answer. Stateless.
 */
public final class SimChecks {
  private SimChecks() {}

  /**
   * A check of simulator {@code name} configured by {@code config} (a tree, empty for the defaults), hosted by
   * {@code envName} (null: the environment whose default user it is, if any), with an optional twin.
   *
   * @throws ConfigException naming an unknown simulator or environment, or a bad configuration
   */
  public static SimCheck build(PluginContext context, String name, JsonNode config, String envName, String twinName,
      JsonNode twinConfig) {
    Registry registry = context.registry();
    SimulatorProvider<?> provider = registry.simulators().get(name);
    Object bound = ConfigBinder.bind(provider, config);
    PluginRef ref = PluginRef.of(name, bound);
    Supplier<UserSimulator> factory = () -> context.simulator(ref);
    factory.get().close(); // a bad configuration fails here, as bad input
    SimCheck check = SimCheck.of(name, factory);
    RuleBasedTwin<Object> original = ruleBasedTwin(provider);
    String host = envName != null ? envName : hostOf(context, name)
        .or(() -> original == null ? Optional.empty() : hostOf(context, original.ruleBasedName())).orElse(null);
    if (host != null) {
      check.environment(hosting(context, registry.environments().get(host), name, config));
    }
    String twin = null;
    JsonNode twinTree = null;
    if (twinName != null) {
      SimulatorProvider<?> tp = registry.simulators().get(twinName);
      twin = twinName;
      twinTree = twinConfig == null ? Json.YAML.createObjectNode() : twinConfig;
      PluginRef twinRef = PluginRef.of(twinName, ConfigBinder.bind(tp, twinConfig));
      check.twin(twinName, () -> context.simulator(twinRef));
    } else if (original != null) {
      Object rules = original.ruleBasedConfig(bound);
      twin = original.ruleBasedName();
      ObjectNode tree = ConfigBinder.tree(rules);
      // the defaults as a bare name: a world may fill its own user's fields (intent-discovery's spec)
      twinTree = tree.equals(ConfigBinder.tree(registry.simulators().get(original.ruleBasedName()).defaultConfig()))
          ? null : tree;
      PluginRef twinRef = PluginRef.of(twin, rules);
      check.twin(twin, () -> context.simulator(twinRef));
    }
    if (twin != null && host != null) {
      try {
        check.twinEnvironment(hosting(context, registry.environments().get(host), twin, twinTree));
      } catch (ConfigException e) {
        // the world cannot play the twin so configured (it sets that user's fields itself): no gold dialogues
      }
    }
    TutoringUserConfig tutoring = bound instanceof TutoringUserConfig t ? t
        : bound instanceof TutoringLlmUserConfig l ? l.rules() : null;
    if (tutoring != null && (tutoring.problems() == null || tutoring.problems().isBlank())) {
      check.answers(task -> Optional.of(ProblemGenerator.generate(tutoring.kindList(), task.seed()).answer()));
    }
    return check;
  }

  /** Environment {@code env}'s default configuration with its user replaced by simulator {@code user}. */
  private static BoundEnvironment hosting(PluginContext context, EnvironmentProvider<?> env, String user,
      JsonNode config) {
    ObjectNode tree = ConfigBinder.tree(env.defaultConfig());
    if (!tree.has("user")) {
      throw new ConfigException("--env: environment '" + env.name() + "' has no 'user' field; it cannot host "
          + "simulator '" + user + "'");
    }
    if (config == null || config.isEmpty()) {
      tree.put("user", user); // the environment may fill the user's fields from its own (its spec, its categories)
    } else {
      ObjectNode u = tree.putObject("user");
      u.put("name", user);
      u.set("config", config);
    }
    return BoundEnvironment.ofUnchecked(env, ConfigBinder.bind(env, tree)).withContext(context);
  }

  /** The provider as the LLM-driven twin of a rule-based user, or null when it is not one. */
  @SuppressWarnings("unchecked")
  private static RuleBasedTwin<Object> ruleBasedTwin(SimulatorProvider<?> provider) {
    return provider instanceof RuleBasedTwin<?> t ? (RuleBasedTwin<Object>) t : null;
  }

  /** The single-agent environment whose default configuration creates simulator {@code name}, if any. */
  public static Optional<String> hostOf(PluginContext context, String name) {
    // first without creating anything: the user the default configuration names
    for (String env : new TreeSet<>(context.registry().environments().names())) {
      EnvironmentProvider<?> p = context.registry().environments().get(env);
      if (!(p instanceof MultiAgentEnvironmentProvider<?>) && defaultUser(p).filter(name::equals).isPresent()) {
        return Optional.of(env);
      }
    }
    // then by asking each environment which simulator it creates (one may choose its user when it is made)
    for (String env : new TreeSet<>(context.registry().environments().names())) {
      EnvironmentProvider<?> p = context.registry().environments().get(env);
      if (p instanceof MultiAgentEnvironmentProvider<?> || !hasUserField(p.configType())) {
        continue;
      }
      List<String> asked = new ArrayList<>();
      try (AnyEnvironment instance = create(p, new Recording(context, asked))) {
        if (asked.contains(name)) {
          return Optional.of(env);
        }
      } catch (Exception e) {
        // an environment that cannot be made here is not the host
      }
    }
    return Optional.empty();
  }

  /** The name of the user an environment's default configuration names in its {@code user} field, if any. */
  private static Optional<String> defaultUser(EnvironmentProvider<?> p) {
    if (!hasUserField(p.configType())) {
      return Optional.empty();
    }
    try {
      Object config = p.defaultConfig();
      for (var c : p.configType().getRecordComponents()) {
        if (c.getName().equals("user") && c.getAccessor().invoke(config) instanceof PluginRef ref) {
          return Optional.of(ref.name());
        }
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      // an environment whose default configuration cannot be read here is asked by creating it
    }
    return Optional.empty();
  }

  private static boolean hasUserField(Class<?> type) {
    if (!type.isRecord()) {
      return false;
    }
    for (var c : type.getRecordComponents()) {
      if (c.getName().equals("user") && c.getType() == PluginRef.class) {
        return true;
      }
    }
    return false;
  }

  @SuppressWarnings("unchecked")
  private static <C> AnyEnvironment create(EnvironmentProvider<C> p, PluginContext context) {
    return p.create(p.defaultConfig(), context);
  }

  /** A context that notes the names of the simulators asked of it. */
  private static final class Recording extends ForwardingPluginContext {
    private final PluginContext base;
    private final List<String> asked;

    Recording(PluginContext base, List<String> asked) {
      this.base = base;
      this.asked = asked;
    }

    @Override
    protected PluginContext delegate() {
      return base;
    }

    @Override
    public UserSimulator simulator(PluginRef user) {
      asked.add(user.name());
      return base.simulator(user);
    }
  }

}
