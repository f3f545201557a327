package dev.ludus.runner.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.EnvironmentProvider;
import dev.ludus.api.Plugin;
import dev.ludus.api.Registry;
import dev.ludus.api.ShaperProvider;
import dev.ludus.api.SignalKey;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.learn.advantage.AdvantageEstimators;
import dev.ludus.runner.learn.advantage.EstimatorProvider;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ludus list envs|agents|simulators|shapers|transforms|combiners|estimators [--json]}. */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = "List the registered environments, agents, simulators, shapers, transforms, combiners or "
        + "advantage estimators.")
public class ListCommand implements Callable<Integer> {
  /** What to list. */
  public enum Kind { envs, agents, simulators, shapers, transforms, combiners, estimators }

  @Parameters(index = "0", paramLabel = "KIND", description = "One of: ${COMPLETION-CANDIDATES}.")
  Kind kind;

  @Option(names = "--json", description = "Print JSON: names, descriptions, config fields with defaults.")
  boolean json;

  @Mixin CommonOptions common;
  @Spec CommandSpec spec;
  @Inject LudusServices services;

  @Override
  public Integer call() throws Exception {
    Registry r = services.registry();
    List<? extends Plugin<?>> plugins = switch (kind) {
      case envs -> r.environments().all();
      case agents -> r.agents().all();
      case simulators -> r.simulators().all();
      case shapers -> r.shapers().all();
      case transforms -> r.transforms().all();
      case combiners -> r.combiners().all();
      case estimators -> AdvantageEstimators.catalog().all();
    };
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ArrayNode array = Json.JSON.createArrayNode();
      for (Plugin<?> p : plugins) {
        array.add(describe(p));
      }
      out.println(Json.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(array));
    } else {
      int width = plugins.stream().mapToInt(p -> p.name().length()).max().orElse(4);
      for (Plugin<?> p : plugins) {
        out.printf("%-" + width + "s  %s%n", p.name(), p.description());
      }
      if (plugins.isEmpty()) {
        out.println("(none registered)");
      }
    }
    out.flush();
    return 0;
  }

  /** A plugin as JSON: name, description, config fields with their defaults, and what its kind adds. */
  static ObjectNode describe(Plugin<?> p) {
    ObjectNode node = Json.JSON.createObjectNode();
    node.put("name", p.name());
    node.put("description", p.description());
    ArrayNode fields = node.putArray("config");
    ObjectNode defaults = Json.JSON.valueToTree(p.defaultConfig());
    if (p.configType().isRecord()) {
      for (RecordComponent c : p.configType().getRecordComponents()) {
        ObjectNode f = fields.addObject();
        f.put("name", c.getName());
        f.put("type", c.getGenericType().getTypeName().replaceAll("java\\.(lang|util)\\.", ""));
        f.set("default", defaults == null ? null : defaults.get(c.getName()));
      }
    }
    if (p instanceof EnvironmentProvider<?> env) {
      ArrayNode signals = node.putArray("signals");
      for (SignalKey<?> k : env.signals().stream().sorted(java.util.Comparator.comparing(SignalKey::name)).toList()) {
        ObjectNode s = signals.addObject();
        s.put("name", k.name());
        s.put("type", k.type().getSimpleName());
        s.put("secret", k.secret());
      }
      if (env instanceof dev.ludus.api.MultiAgentEnvironmentProvider<?>) {
        BoundEnvironment bound = BoundEnvironment.ofUnchecked(env, p.defaultConfig());
        bound.seats().forEach(node.putArray("seats")::add);
        bound.bots().keySet().stream().sorted().forEach(node.putArray("bots")::add);
      }
    }
    if (p instanceof ShaperProvider<?> shaper) {
      node.put("kind", "shaper");
      node.put("formula", shaper.formula());
      node.put("reference", shaper.reference());
    } else if (p instanceof dev.ludus.api.TransformProvider<?> t) {
      node.put("kind", "transform");
      node.put("formula", t.formula());
      node.put("reference", t.reference());
    } else if (p instanceof dev.ludus.api.CombinerProvider<?> c) {
      node.put("kind", "combiner");
      node.put("formula", c.formula());
      node.put("reference", c.reference());
    } else if (p instanceof EstimatorProvider<?> e) {
      node.put("kind", "estimator");
      node.put("formula", e.formula());
      node.put("reference", e.reference());
      node.put("needsGroups", e.needsGroups());
    }
    return node;
  }
}
