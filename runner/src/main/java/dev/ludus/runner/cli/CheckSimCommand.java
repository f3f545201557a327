package dev.ludus.runner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.api.PluginContext;
import dev.ludus.api.SimulatorProvider;
import dev.ludus.runner.checksim.SimCheck;
import dev.ludus.runner.checksim.SimChecks;
import dev.ludus.runner.checksim.SimReport;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.config.LlmSection;
import dev.ludus.runner.config.PluginConfigs;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ludus check-sim NAME|all}: simulator fidelity checks ({@link SimCheck}) on a registered simulated user, or
 * on every one; prints each check's rate. Exit 1 when {@code --fail-below} is given and a rate falls below it.
 */
@Command(name = "check-sim", mixinStandardHelpOptions = true,
    description = "Probe a simulated user with scripted agents and report fidelity rates (tau2-bench's lessons).")
public class CheckSimCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "NAME", description = "The simulator's registered name, or 'all'.")
  String name;

  @Option(names = "--sim-config", paramLabel = "YAML-or-JSON", description = "The simulator's config (file or inline).")
  String simConfig;

  @Option(names = "--env", paramLabel = "ENV",
      description = "The environment hosting it (default: the one whose default user it is).")
  String env;

  @Option(names = "--twin", paramLabel = "NAME",
      description = "A simulator that should agree with it on the same hidden state (e.g. its rule-based original).")
  String twin;

  @Option(names = "--twin-config", paramLabel = "YAML-or-JSON", description = "The twin's config (file or inline).")
  String twinConfig;

  @Option(names = "--llm", paramLabel = "YAML-or-JSON", description = "Named chat endpoints for LLM-driven users.")
  String llm;

  @Option(names = "--episodes", defaultValue = "20", description = "Probes per check (default: ${DEFAULT-VALUE}).")
  int episodes;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the tasks (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--fail-below", paramLabel = "RATE", description = "Exit 1 if a check that applies is below RATE.")
  Double failBelow;

  @Option(names = "--json", description = "Print the reports as JSON.")
  boolean json;

  @Mixin CommonOptions common;
  @Spec CommandSpec spec;
  @Inject LudusServices services;

  @Override
  public Integer call() throws Exception {
    if (episodes < 1) {
      throw new IllegalArgumentException("--episodes must be at least 1, was " + episodes);
    }
    Map<String, dev.ludus.api.chat.ChatEndpoint> endpoints = llm == null ? Map.of() : LlmSection.read(llm);
    List<String> names = name.equals("all") ? new ArrayList<>(new TreeSet<>(services.registry().simulators().names()))
        : List.of(name);
    List<SimReport> reports = new ArrayList<>();
    try (PluginContext.Owned context = PluginContext.standalone(services.registry(), endpoints)) {
      for (String n : names) {
        SimulatorProvider<?> provider = services.registry().simulators().get(n);
        JsonNode config = n.equals(name) ? PluginConfigs.tree(provider, simConfig) : Json.YAML.createObjectNode();
        JsonNode twinTree = twin == null ? null
            : PluginConfigs.tree(services.registry().simulators().get(twin), twinConfig);
        SimCheck check;
        try {
          check = SimChecks.build(context, n, config, n.equals(name) ? env : null, n.equals(name) ? twin : null,
              twinTree).episodes(episodes).seed(seed);
        } catch (dev.ludus.api.ConfigException e) {
          if (n.equals(name)) {
            throw e;
          }
          spec.commandLine().getErr().println(n + ": skipped: " + e.getMessage()); // 'all': one that needs config
          continue;
        }
        reports.add(check.run());
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(reports));
    } else {
      reports.forEach(out::print);
    }
    boolean failed = false;
    if (failBelow != null) {
      for (SimReport r : reports) {
        for (SimReport.Rate low : r.below(failBelow)) {
          out.println(r.simulator() + ": " + low.check() + " " + low.shown() + " is below " + failBelow);
          failed = true;
        }
      }
    }
    out.flush();
    return failed ? 1 : 0;
  }
}
