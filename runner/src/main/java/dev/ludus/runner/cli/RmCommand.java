package dev.ludus.runner.cli;

import dev.ludus.api.ConfigException;
import dev.ludus.runner.rm.PreferenceData;
import dev.ludus.runner.rm.PreferenceExample;
import dev.ludus.runner.rm.RewardModel;
import dev.ludus.runner.rm.RewardModelEvaluation;
import dev.ludus.runner.rm.RewardModelTraining;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ludus rm ...}: Bradley–Terry reward models trained and evaluated on preference pairs. */
@Command(name = "rm", mixinStandardHelpOptions = true,
    description = "Reward models: train a Bradley-Terry reward model on preference pairs, evaluate one.",
    subcommands = {RmCommand.Train.class, RmCommand.Eval.class})
public class RmCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Where pairs come from: run directories (or episodes.jsonl files) and TRL/OpenRLHF preference files. */
  static class PairSources {
    @Parameters(arity = "1..*", paramLabel = "PAIRS",
        description = "Run directories or episodes.jsonl files (pairs mined within groups: higher return preferred, "
            + "ties skipped), or JSON Lines preference files in TRL's or OpenRLHF's format.")
    List<Path> paths;

    @Option(names = "--chosen-key", defaultValue = "chosen", description = "Key of the preferred response (default: "
        + "${DEFAULT-VALUE}).")
    String chosenKey;

    @Option(names = "--rejected-key", defaultValue = "rejected", description = "Key of the other response (default: "
        + "${DEFAULT-VALUE}).")
    String rejectedKey;

    @Option(names = "--prompt-key", defaultValue = "prompt", description = "Key of the prompt, optional per line "
        + "(default: ${DEFAULT-VALUE}).")
    String promptKey;

    @Option(names = "--max-pairs", defaultValue = "0", paramLabel = "N", description = "Use at most N pairs, a "
        + "seeded sample of them (default: 0, all).")
    int maxPairs;

    @Option(names = "--category-key", defaultValue = "category", description = "Key of the category, optional per "
        + "line (default: ${DEFAULT-VALUE}; RewardBench: subset).")
    String categoryKey;

    List<PreferenceExample> read() {
      List<PreferenceExample> out = new ArrayList<>();
      PreferenceData.Keys keys = new PreferenceData.Keys(chosenKey, rejectedKey, promptKey, categoryKey);
      for (Path p : paths) {
        if (!Files.exists(p)) {
          throw new ConfigException(p + " does not exist; give a run directory, an episodes.jsonl or a preference "
              + "file");
        }
        out.addAll(PreferenceData.isEpisodes(p) ? PreferenceData.fromEpisodes(p) : PreferenceData.fromJsonl(p, keys));
      }
      if (maxPairs < 0) {
        throw new ConfigException("--max-pairs must be 0 (all) or more, was " + maxPairs);
      }
      if (maxPairs > 0 && out.size() > maxPairs) {
        java.util.Collections.shuffle(out, new java.util.Random(maxPairs));
        return new ArrayList<>(out.subList(0, maxPairs));
      }
      return out;
    }
  }

  /** {@code ludus rm train PAIRS... --out DIR}. */
  @Command(name = "train", mixinStandardHelpOptions = true,
      description = "Train a Bradley-Terry reward model (a scalar head on a small djl-lm transformer) on preference "
          + "pairs; writes the model, and the held-out pairs as heldout.jsonl, into --out.")
  public static class Train implements Callable<Integer> {
    @Mixin PairSources pairs;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The directory to write the model "
        + "into (created; must not hold files).")
    Path out;

    @Option(names = "--epochs", defaultValue = "20", description = "Passes over the training pairs (default: "
        + "${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "32", description = "Pairs per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--learning-rate", defaultValue = "1e-3", description = "AdamW's step (default: "
        + "${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--holdout", defaultValue = "0.2", description = "Share of pairs held out (default: "
        + "${DEFAULT-VALUE}).")
    double holdout;

    @Option(names = "--layers", defaultValue = "2", description = "Decoder layers (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--width", defaultValue = "64", description = "Model width (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--heads", defaultValue = "4", description = "Attention heads (default: ${DEFAULT-VALUE}).")
    int heads;

    @Option(names = "--vocab", defaultValue = "512", description = "The byte-level BPE's most tokens (default: "
        + "${DEFAULT-VALUE}).")
    int vocab;

    @Option(names = "--seed", defaultValue = "0", description = "Split, shuffle and weight seed (default: "
        + "${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--device", defaultValue = "cpu", description = "DJL device: cpu, gpu or gpu:N (default: "
        + "${DEFAULT-VALUE}).")
    String device;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      RewardModelTraining.Options o = new RewardModelTraining.Options(layers, width, heads, vocab, epochs, batch,
          learningRate, holdout, seed, device);
      if (Files.isRegularFile(out) || (Files.isDirectory(out) && Files.list(out).findAny().isPresent())) {
        throw new ConfigException("--out " + out + " exists and is not an empty directory");
      }
      List<PreferenceExample> examples = pairs.read();
      PrintWriter w = spec.commandLine().getOut();
      w.println("ludus rm train: " + examples.size() + " preference pairs from " + pairs.paths);
      RewardModelTraining.Result r = RewardModelTraining.train(examples, o, w);
      try (RewardModel model = r.model()) {
        model.save(out, RewardModelTraining.about(o, r, pairs.paths.stream().map(Path::toString).toList()));
        if (!r.heldOut().isEmpty()) {
          PreferenceData.write(out.resolve("heldout.jsonl"), r.heldOut());
          w.println("held-out pairs:");
          w.print(r.heldOutReport().table());
        }
      }
      w.println("reward model: " + out + (r.heldOut().isEmpty() ? "" : " (held-out pairs: "
          + out.resolve("heldout.jsonl") + ")"));
      w.flush();
      return 0;
    }
  }

  /** {@code ludus rm eval --model DIR PAIRS...}. */
  @Command(name = "eval", mixinStandardHelpOptions = true,
      description = "A reward model's accuracy on preference pairs, by category, and its calibration.")
  public static class Eval implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "A directory written by ludus rm "
        + "train.")
    Path model;

    @Mixin PairSources pairs;

    @Option(names = "--device", defaultValue = "cpu", description = "DJL device (default: ${DEFAULT-VALUE}).")
    String device;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      List<PreferenceExample> examples = pairs.read();
      if (examples.isEmpty()) {
        throw new ConfigException("no preference pairs in " + pairs.paths);
      }
      try (RewardModel rm = RewardModel.load(model, device)) {
        RewardModelEvaluation.Report report = RewardModelEvaluation.evaluate(rm, examples);
        PrintWriter w = spec.commandLine().getOut();
        w.print(report.table());
        w.flush();
      }
      return 0;
    }
  }
}
