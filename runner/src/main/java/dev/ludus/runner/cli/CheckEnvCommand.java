package dev.ludus.runner.cli;

import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.EnvChecker;
import dev.ludus.api.PluginContext;
import dev.ludus.runner.config.Plugins;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ludus check-env NAME}: runs {@link EnvChecker} on a registered environment; exit 1 if it fails. */
@Command(name = "check-env", mixinStandardHelpOptions = true,
    description = "Check a registered environment against the environment contract.")
public class CheckEnvCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "NAME", description = "The environment's registered name.")
  String name;

  @Option(names = "--env-config", paramLabel = "YAML-or-JSON", description = "A config file or inline YAML/JSON.")
  String envConfig;

  @Option(names = "--seeds", defaultValue = "5", description = "Seeds to try (default: ${DEFAULT-VALUE}).")
  int seeds;

  @Mixin CommonOptions common;
  @Spec CommandSpec spec;
  @Inject LudusServices services;

  @Override
  public Integer call() {
    if (seeds < 1) {
      throw new IllegalArgumentException("--seeds must be at least 1, was " + seeds);
    }
    EnvChecker.Report report;
    // no episode runtime here: a standalone context, with a Vert.x of its own only if a plugin asks for one
    try (PluginContext.Owned context = PluginContext.standalone(services.registry())) {
      BoundEnvironment env = Plugins.environment(services.registry(), name, envConfig).withContext(context).probe();
      report = EnvChecker.check(env, new EnvChecker.Options(seeds, 2_000, 10_000));
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(report);
    out.println(report.passed() ? name + ": all checks passed" : name + ": FAILED");
    out.flush();
    return report.passed() ? 0 : 1;
  }
}
