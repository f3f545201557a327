package dev.ludus.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.runner.cli.CliRun.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ludus train --config examples/hf/guess-number-lora.yaml}: a LoRA policy of a Hugging Face-layout model
 * trains from the CLI on a built-in world (here shortened: one iteration of a few episodes), and its checkpoint holds
 * the adapters in PEFT's layout.
 */
class HfLoraTrainCliTest {

  @Test
  void theExampleConfig_trainsALoraPolicyOfAnHfModel_andCheckpointsPeftAdapters(@TempDir Path out) throws Exception {
    Path root = Path.of("..").toAbsolutePath().normalize();
    String example = Files.readString(root.resolve("examples/hf/guess-number-lora.yaml"))
        .replace("hf:examples/hf/tiny-qwen3", "hf:" + root.resolve("examples/hf/tiny-qwen3"));
    Path config = Files.writeString(out.resolve("hf.yaml"), example
        + "tasksPerIteration: 2\ngroupSize: 2\nevalEpisodes: 4\nwarmStartEpisodes: 4\nwarmStartSteps: 4\n"
        + "epochs: 1\nminiBatches: 1\n");
    String[] args = {"train", "--config", config.toString(), "--iterations", "1", "--no-progress",
        "--out", out.resolve("runs").toString()};
    Outcome o = CliRun.main(args);
    assertEquals(0, o.code(), o.out() + o.err());
    assertTrue(o.out().contains("held-out success"), o.out());
    try (Stream<Path> files = Files.walk(out.resolve("runs"))) {
      assertTrue(files.anyMatch(f -> f.getFileName().toString().equals("adapter_model.safetensors")),
          "a checkpoint holds the PEFT adapters");
    }
  }
}
