package dev.ludus.runner.cli;

import dev.ludus.agents.hf.HfBenchmark;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ludus bench hf}: generation and training throughput of a random Qwen3-architecture model in the Hugging Face
 * layout on DJL (see {@link HfBenchmark}); ratios measured in one run.
 */
@Command(name = "hf", mixinStandardHelpOptions = true,
    description = "Qwen3-architecture model on the CPU: generation tokens/s with and without the key/value cache and "
        + "batched against unbatched; a LoRA update's tokens/s against a bare forward/backward (ratios in one run).")
public class HfBenchCommand implements Callable<Integer> {
  @Option(names = "--size", defaultValue = "100m", paramLabel = "100m|tiny",
      description = "100m: about 100M parameters with Qwen3's vocabulary; tiny: a quick check (default: ${DEFAULT-VALUE}).")
  String size;

  @Option(names = "--sequences", defaultValue = "8", description = "Sequences per batch (default: ${DEFAULT-VALUE}).")
  int sequences;

  @Option(names = "--tokens", defaultValue = "16", description = "New tokens per sequence (default: ${DEFAULT-VALUE}).")
  int tokens;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    HfBenchmark.Shape shape = switch (size) {
      case "100m" -> HfBenchmark.Shape.QWEN3_100M;
      case "tiny" -> HfBenchmark.Shape.TINY;
      default -> throw new IllegalArgumentException("--size must be 100m or tiny, was '" + size + "'");
    };
    if (sequences < 1 || sequences > 256 || tokens < 1 || tokens > 1024) {
      throw new IllegalArgumentException("--sequences must be in [1, 256] and --tokens in [1, 1024], were "
          + sequences + " and " + tokens);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf("bench hf: %d cores; ratios are measured in one run%n",
        java.lang.Runtime.getRuntime().availableProcessors());
    out.flush();
    out.println(HfBenchmark.run(shape, sequences, tokens).format());
    out.flush();
    return 0;
  }
}
