package dev.ludus.runner.cli;

import dev.ludus.api.ConfigException;
import dev.ludus.runner.rm.CollaborativeRewardModels;
import dev.ludus.runner.rm.CrmExperiment;
import dev.ludus.runner.rm.PreferenceData;
import dev.ludus.runner.rm.PreferenceExample;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ludus rm crm}: CRM's noisy-label experiment (see {@link CrmExperiment}). */
@Command(name = "crm", mixinStandardHelpOptions = true,
    description = "CRM's experiment: reward models trained with 0%%, 20%% and 40%% flipped labels, without and with two "
        + "models peer-reviewing each other's batches under a curriculum; prints held-out accuracy, mean ± std over "
        + "seeds.")
public class RmCrmCommand implements Callable<Integer> {
  @Option(names = "--pairs", paramLabel = "PATH", split = ",", description = "Run directories, episodes.jsonl or "
      + "TRL/OpenRLHF preference files (default: synthetic pairs, see --synthetic).")
  List<Path> pairs;

  @Option(names = "--synthetic", defaultValue = "320", paramLabel = "N", description = "Synthetic pairs when no "
      + "--pairs are given (default: ${DEFAULT-VALUE}).")
  int synthetic;

  @Option(names = "--noise", defaultValue = "0,0.2,0.4", split = ",", description = "Label-noise rates (default: "
      + "${DEFAULT-VALUE}).")
  List<Double> noises;

  @Option(names = "--seeds", defaultValue = "3", description = "Seeds per rate (default: ${DEFAULT-VALUE}).")
  int seeds;

  @Option(names = "--holdout", defaultValue = "0.25", description = "Share of pairs held out, clean (default: "
      + "${DEFAULT-VALUE}).")
  double holdout;

  @Option(names = "--epochs", defaultValue = "4", description = "Passes over the training pairs (default: "
      + "${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--batch", defaultValue = "32", description = "Pairs per batch (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--learning-rate", defaultValue = "3e-3", description = "AdamW's step (default: ${DEFAULT-VALUE}).")
  double learningRate;

  @Option(names = "--drop", defaultValue = "0.3", description = "The largest share of a batch peer review drops "
      + "(default: ${DEFAULT-VALUE}).")
  double drop;

  @Option(names = "--ramp-epochs", defaultValue = "1", description = "Epochs over which the drop rate grows from 0 "
      + "(default: ${DEFAULT-VALUE}).")
  double rampEpochs;

  @Option(names = "--no-curriculum", description = "Keep epochs in random order instead of easy to hard.")
  boolean noCurriculum;

  @Option(names = "--layers", defaultValue = "1", description = "Decoder layers (default: ${DEFAULT-VALUE}).")
  int layers;

  @Option(names = "--width", defaultValue = "32", description = "Model width (default: ${DEFAULT-VALUE}).")
  int width;

  @Option(names = "--heads", defaultValue = "2", description = "Attention heads (default: ${DEFAULT-VALUE}).")
  int heads;

  @Option(names = "--vocab", defaultValue = "320", description = "The byte-level BPE's most tokens (default: "
      + "${DEFAULT-VALUE}).")
  int vocab;

  @Option(names = "--seed", defaultValue = "0", description = "Base seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    List<PreferenceExample> examples = new ArrayList<>();
    if (pairs == null || pairs.isEmpty()) {
      if (synthetic < 4) {
        throw new ConfigException("--synthetic must be at least 4, was " + synthetic);
      }
      examples.addAll(CrmExperiment.synthetic(synthetic, seed));
    } else {
      for (Path p : pairs) {
        if (!Files.exists(p)) {
          throw new ConfigException("--pairs " + p + " does not exist");
        }
        examples.addAll(PreferenceData.isEpisodes(p) ? PreferenceData.fromEpisodes(p)
            : PreferenceData.fromJsonl(p, PreferenceData.Keys.defaults()));
      }
    }
    CrmExperiment.Options o = new CrmExperiment.Options(noises, seeds, holdout, layers, width, heads, vocab,
        new CollaborativeRewardModels.Options(epochs, batch, learningRate, drop, rampEpochs, !noCurriculum, seed));
    PrintWriter w = spec.commandLine().getOut();
    w.printf(java.util.Locale.ROOT, "ludus rm crm: %d pairs, noise %s, %d seeds%n", examples.size(), noises, seeds);
    CrmExperiment.run(examples, o, w);
    return 0;
  }
}
