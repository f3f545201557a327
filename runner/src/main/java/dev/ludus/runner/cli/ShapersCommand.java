package dev.ludus.runner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Plugin;
import dev.ludus.api.Registry;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ludus shapers explain NAME}: a shaper's (or transform's, or combiner's) formula, paper and config. */
@Command(name = "shapers", mixinStandardHelpOptions = true, description = "Explain reward shapers, transforms and combiners.",
    subcommands = {ShapersCommand.Explain.class})
public class ShapersCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code ludus shapers explain NAME}. */
  @Command(name = "explain", mixinStandardHelpOptions = true,
      description = "Print a shaper's, transform's or combiner's formula, paper and config fields with defaults.")
  public static class Explain implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "A shaper, transform or combiner name.")
    String name;

    @Mixin CommonOptions common;
    @Spec CommandSpec spec;
    @Inject LudusServices services;

    @Override
    public Integer call() {
      Registry r = services.registry();
      Plugin<?> p = r.shapers().contains(name) ? r.shapers().get(name)
          : r.transforms().contains(name) ? r.transforms().get(name)
          : r.combiners().contains(name) ? r.combiners().get(name) : null;
      if (p == null) {
        throw new ConfigException("unknown shaper, transform or combiner '" + name + "'; shapers: "
            + String.join(", ", r.shapers().names()) + "; transforms: " + String.join(", ", r.transforms().names())
            + "; combiners: " + String.join(", ", r.combiners().names()));
      }
      JsonNode d = ListCommand.describe(p);
      PrintWriter out = spec.commandLine().getOut();
      out.println(d.get("name").asText() + " (" + d.get("kind").asText() + "): " + d.get("description").asText());
      out.println("  formula:   " + d.get("formula").asText());
      out.println("  reference: " + d.get("reference").asText());
      if (d.get("config").isEmpty()) {
        out.println("  config:    (none)");
      } else {
        out.println("  config:");
        for (JsonNode f : d.get("config")) {
          out.println("    " + f.get("name").asText() + " (" + f.get("type").asText() + ") default "
              + (f.get("default") == null ? "none" : f.get("default").toString()));
        }
      }
      out.flush();
      return 0;
    }
  }
}
