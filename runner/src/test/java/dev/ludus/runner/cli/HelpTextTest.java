package dev.ludus.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's {@code --help} renders cleanly: picocli formats descriptions with {@link String#format}, so a bare
 * {@code %} ({@code 5% of}) makes it print a warning and the raw text instead of the help.
 */
@MicronautTest
class HelpTextTest {
  @Inject ApplicationContext context;

  @Test
  void everyCommandsHelpFormatsWithoutPicocliWarnings() {
    List<CommandLine> all = new ArrayList<>();
    collect(Ludus.commandLine(context), all);
    assertTrue(all.size() > 20, "every subcommand is walked: " + all.size());
    PrintStream saved = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> warned = new ArrayList<>();
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      for (CommandLine c : all) {
        err.reset();
        String usage = c.getUsageMessage(CommandLine.Help.Ansi.OFF);
        if (err.toString(StandardCharsets.UTF_8).contains("picocli WARN")) {
          warned.add(c.getCommandSpec().qualifiedName());
        }
        assertTrue(usage.contains("Usage:"), usage);
      }
    } finally {
      System.setErr(saved);
    }
    assertEquals(List.of(), warned, "commands whose help text picocli could not format (escape % as %%)");
  }

  private static void collect(CommandLine c, List<CommandLine> out) {
    out.add(c);
    for (CommandLine sub : c.getSubcommands().values()) {
      if (!out.contains(sub)) {
        collect(sub, out);
      }
    }
  }
}
