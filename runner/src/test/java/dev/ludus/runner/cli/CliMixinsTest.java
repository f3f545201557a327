package dev.ludus.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The option blocks declared once as picocli mixins keep their flags, defaults and help on every command. */
class CliMixinsTest {

  @Test
  void benchCommandsShowTheSharedEnvironmentAndAgentOptionsWithTheirDefaults() {
    for (List<String> command : List.of(List.of("bench", "runtime"), List.of("bench", "shaping"),
        List.of("bench", "tokenizer"), List.of("bench", "serve-env"), List.of("bench", "crash"))) {
      CliRun.Outcome o = CliRun.main(new String[] {command.get(0), command.get(1), "--help"});
      assertEquals(0, o.code(), o.err());
      assertTrue(o.out().contains("--env=<name>") || o.out().contains("--env="), command + ":\n" + o.out());
      assertTrue(o.out().contains("Environment (default: guess-number)."), command + ":\n" + o.out());
    }
    CliRun.Outcome runtime = CliRun.main(new String[] {"bench", "runtime", "--help"});
    assertTrue(runtime.out().contains("Agent (default: oracle)."), runtime.out());
    assertTrue(runtime.out().contains("--env-config=YAML-or-JSON"), runtime.out());
  }

  @Test
  void experimentCommandsShowTheSharedDeviceAndOutOptions() {
    for (String experiment : List.of("shaping-ablation", "retention", "sparse-shaping", "hacking", "noise",
        "generalisation")) {
      CliRun.Outcome o = CliRun.main(new String[] {"experiment", experiment, "--help"});
      assertEquals(0, o.code(), o.err());
      assertTrue(o.out().contains("--device=DEVICE") && o.out().contains("Model device: auto, cpu, gpu or gpu:N."),
          experiment + ":\n" + o.out());
      assertTrue(o.out().contains("--out=DIR") && o.out().contains("Parent of the run directory."),
          experiment + ":\n" + o.out());
    }
  }

  @Test
  void aMixinsOptionReachesTheCommand() {
    CliRun.Outcome o = CliRun.main(new String[] {"bench", "tokenizer", "--env", "no-such-world", "--episodes", "1", "--rounds",
        "1"});
    assertEquals(2, o.code(), o.out() + o.err());
    assertTrue(o.err().contains("no-such-world"), o.err());
  }
}
