package dev.ludus.runner.cli;

import dev.ludus.api.BoundEnvironment;
import dev.ludus.runner.config.Plugins;
import dev.ludus.runner.train.TokenizerCorpus;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ludus bench tokenizer}. */
@Command(name = "tokenizer", mixinStandardHelpOptions = true,
    description = "Encoding tokens/s of the byte-level BPE trained on an environment's text against the word-level "
        + "tokenizer, on fresh episodes of the same environment.")
public class TokenizerBenchCommand implements Callable<Integer> {
  @Mixin BenchOptions.Env envOption;

  @Mixin BenchOptions.EnvConfig envConfigOption;

  @Option(names = "--vocab-size", defaultValue = "512", description = "BPE tokens (default: ${DEFAULT-VALUE}).")
  int vocabSize;

  @Option(names = "--episodes", defaultValue = "64",
      description = "Fresh oracle and random episodes each, whose text is encoded (default: ${DEFAULT-VALUE}).")
  int episodes;

  @Option(names = "--rounds", defaultValue = "5", description = "Measured passes per tokenizer (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Mixin CommonOptions common;
  @Spec CommandSpec spec;
  @Inject LudusServices services;

  @Override
  public Integer call() throws Exception {
    String env = envOption.name;
    String envConfig = envConfigOption.config;
    if (episodes < 1 || rounds < 1) {
      throw new IllegalArgumentException("--episodes and --rounds must be at least 1, were " + episodes + " and "
          + rounds);
    }
    if (vocabSize < 264 || vocabSize > 65_536) {
      throw new IllegalArgumentException("--vocab-size must be in [264, 65536], was " + vocabSize);
    }
    BoundEnvironment bound = Plugins.environment(services.registry(), env, envConfig);
    List<String> corpus = TokenizerCorpus.gather(bound, TokenizerCorpus.Options.defaults());
    List<String> texts = TokenizerCorpus.gather(bound,
        new TokenizerCorpus.Options(episodes, episodes, TokenizerCorpus.SEED + 1_000_000));
    PrintWriter out = spec.commandLine().getOut();
    out.printf("bench tokenizer: %s; BPE of up to %d tokens trained on %d texts of its corpus; encoding the %d texts "
        + "of %d fresh oracle and %d random episodes, best of %d passes; %d cores%n", env, vocabSize, corpus.size(),
        texts.size(), episodes, episodes, rounds, java.lang.Runtime.getRuntime().availableProcessors());
    out.flush();
    out.println(dev.ludus.agents.djl.TokenizerBenchmark.run(corpus, texts, vocabSize, rounds).format());
    out.flush();
    return 0;
  }
}
