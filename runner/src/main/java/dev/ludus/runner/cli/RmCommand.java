package dev.ludus.runner.cli;

import dev.ludus.api.ConfigException;
import dev.ludus.runner.rm.PreferenceData;
import dev.ludus.runner.rm.PreferenceExample;
import dev.ludus.runner.rm.RewardModel;
import dev.ludus.runner.rm.RewardModelEvaluation;
import dev.ludus.runner.rm.RewardModelTraining;
import dev.ludus.runner.scoring.ScoringWorker;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ludus rm ...}: Bradley–Terry reward models trained and evaluated on preference pairs. */
@Command(name = "rm", mixinStandardHelpOptions = true,
    description = "Reward models: train a Bradley-Terry reward model on preference pairs, evaluate one.",
    subcommands = {RmCommand.Train.class, RmCommand.Eval.class, RmCommand.Bench.class, RmCrmCommand.class})
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

    @Option(names = "--mine", defaultValue = "episode", description = "Pairs mined from episodes: episode (whole "
        + "episodes of a group by return), turn (turn actions after the same history by their ledger reward) or both "
        + "(default: ${DEFAULT-VALUE}).")
    String mine;

    List<PreferenceExample> read() {
      if (!mine.equals("episode") && !mine.equals("turn") && !mine.equals("both")) {
        throw new ConfigException("--mine must be episode, turn or both, was '" + mine + "'");
      }
      List<PreferenceExample> out = new ArrayList<>();
      PreferenceData.Keys keys = new PreferenceData.Keys(chosenKey, rejectedKey, promptKey, categoryKey);
      for (Path p : paths) {
        if (!Files.exists(p)) {
          throw new ConfigException(p + " does not exist; give a run directory, an episodes.jsonl or a preference "
              + "file");
        }
        if (!PreferenceData.isEpisodes(p)) {
          out.addAll(PreferenceData.fromJsonl(p, keys));
          continue;
        }
        if (!mine.equals("turn")) {
          out.addAll(PreferenceData.fromEpisodes(p));
        }
        if (!mine.equals("episode")) {
          out.addAll(PreferenceData.turnPairsFromEpisodes(p));
        }
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

    @Option(names = "--trunk", paramLabel = "DIR", description = "Put the reward head on the trunk of this djl-lm "
        + "checkpoint (checkpoints/step-N/policy of a ludus train run; its tokenizer and context are kept, and "
        + "--layers/--width/--heads/--vocab are not used) instead of a fresh model.")
    Path trunk;

    @Option(names = "--target", defaultValue = "pairs", description = "What to learn: pairs (a Bradley-Terry model "
        + "on preference pairs) or utterance (Sotopia-RL's utterance reward model: MSE on each agent turn's "
        + "attributed ledger reward, from run directories) (default: ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--ledger-source", paramLabel = "SHAPER", description = "With --target utterance: learn only this "
        + "shaper's ledger entries (default: every entry of the turn).")
    String ledgerSource;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      if (!target.equals("pairs") && !target.equals("utterance")) {
        throw new ConfigException("--target must be pairs or utterance, was '" + target + "'");
      }
      if (target.equals("utterance")) {
        return utterance();
      }
      RewardModelTraining.Options o = new RewardModelTraining.Options(layers, width, heads, vocab, epochs, batch,
          learningRate, holdout, seed, device);
      if (Files.isRegularFile(out) || (Files.isDirectory(out) && Files.list(out).findAny().isPresent())) {
        throw new ConfigException("--out " + out + " exists and is not an empty directory");
      }
      List<PreferenceExample> examples = pairs.read();
      PrintWriter w = spec.commandLine().getOut();
      w.println("ludus rm train: " + examples.size() + " preference pairs from " + pairs.paths);
      RewardModelTraining.Result r = RewardModelTraining.train(examples, o, trunk, w);
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

    /** {@code --target utterance}. */
    private int utterance() throws java.io.IOException {
      RewardModelTraining.Options o = new RewardModelTraining.Options(layers, width, heads, vocab, epochs, batch,
          learningRate, holdout, seed, device);
      if (Files.isRegularFile(out) || (Files.isDirectory(out) && Files.list(out).findAny().isPresent())) {
        throw new ConfigException("--out " + out + " exists and is not an empty directory");
      }
      List<dev.ludus.runner.rm.UtteranceExample> examples = new ArrayList<>();
      for (Path p : pairs.paths) {
        if (!PreferenceData.isEpisodes(p)) {
          throw new ConfigException(p + " is not a run directory or episodes.jsonl; --target utterance learns from "
              + "the ledgers of a run's episodes");
        }
        examples.addAll(dev.ludus.runner.rm.UtteranceData.fromEpisodes(p, ledgerSource));
      }
      PrintWriter w = spec.commandLine().getOut();
      w.println("ludus rm train --target utterance: " + examples.size() + " utterances from " + pairs.paths);
      dev.ludus.runner.rm.UtteranceTraining.Result r = dev.ludus.runner.rm.UtteranceTraining.train(examples, o, trunk,
          w);
      try (RewardModel model = r.model()) {
        com.fasterxml.jackson.databind.node.ObjectNode about = dev.ludus.runner.config.Json.JSON.valueToTree(o);
        about.set("sources", dev.ludus.runner.config.Json.JSON.valueToTree(pairs.paths.stream().map(Path::toString)
            .toList()));
        about.put("trainUtterances", r.train().size()).put("heldOutUtterances", r.heldOut().size())
            .put("trainMse", r.trainMse());
        if (!r.heldOut().isEmpty()) {
          about.put("heldOutMse", r.heldOutMse()).put("heldOutBaselineMse", r.baselineMse());
          w.printf(java.util.Locale.ROOT, "held-out: MSE %.4f (predicting the training mean: %.4f), Pearson r %.3f%n",
              r.heldOutMse(), r.baselineMse(), r.heldOutCorrelation());
        }
        model.save(out, "utterance", about);
      }
      w.println("utterance reward model: " + out + " (score turns with the reward-model shaper, mode: turn)");
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

  /** {@code ludus rm bench --model DIR PAIRS...}: scoring throughput batched against one episode at a time. */
  @Command(name = "bench", mixinStandardHelpOptions = true,
      description = "Reward-model scoring: episodes (the pairs' conversations) per second batched and unbatched (the "
          + "same model and episodes), and their ratios, on a scoring worker thread as the reward-model shaper scores "
          + "(-Dludus.scoring.threads sets its intra-op threads; default PyTorch's). --mode turn scores every turn "
          + "(each assistant message's conversation so far), as the shaper's mode: turn does; --mode episode the "
          + "whole conversation.")
  public static class Bench implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "A directory written by ludus rm "
        + "train.")
    Path model;

    @Mixin PairSources pairs;

    @Option(names = "--batch", defaultValue = "64", description = "Episodes per batched forward pass "
        + "(default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--limit", defaultValue = "512", description = "Episodes scored each way (default: "
        + "${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--mode", defaultValue = "turn", description = "turn (a score per turn) or episode (one per "
        + "episode) (default: ${DEFAULT-VALUE}).")
    String mode;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      if (batch < 1 || limit < 1) {
        throw new ConfigException("--batch and --limit must be at least 1, were " + batch + " and " + limit);
      }
      if (!mode.equals("turn") && !mode.equals("episode")) {
        throw new ConfigException("--mode must be turn or episode, was '" + mode + "'");
      }
      List<List<dev.ludus.api.Message>> conversations = new ArrayList<>();
      for (PreferenceExample e : pairs.read()) {
        for (List<dev.ludus.api.Message> c : List.of(e.chosen(), e.rejected())) {
          if (conversations.size() < limit && (mode.equals("episode") || RewardModel.assistantEnds(c).length > 0)) {
            conversations.add(c);
          }
        }
      }
      if (conversations.isEmpty()) {
        throw new ConfigException("no preference pairs" + (mode.equals("turn") ? " with an assistant message" : "")
            + " in " + pairs.paths);
      }
      List<int[]> ends = new ArrayList<>();
      List<List<dev.ludus.api.Message>> prefixes = new ArrayList<>();
      for (List<dev.ludus.api.Message> c : conversations) {
        int[] e = mode.equals("turn") ? RewardModel.assistantEnds(c) : new int[] {c.size()};
        ends.add(e);
        for (int k : e) {
          prefixes.add(c.subList(0, k));
        }
      }
      // every way runs on the thread the reward-model shaper scores on: a ScoringWorker with its intra-op threads
      try (RewardModel rm = RewardModel.load(model, "cpu");
          ScoringWorker worker = new ScoringWorker("ludus-rm-bench")) {
        long[] t = new long[4];
        long[] cpu = new long[4];
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        float[][][] scores = CompletableFuture.supplyAsync(() -> {
          int warm = Math.min(conversations.size(), batch);
          rm.scoreTurns(conversations.subList(0, warm), ends.subList(0, warm), batch); // warm-up
          rm.scoreTurns(conversations.subList(0, Math.min(4, warm)), ends.subList(0, Math.min(4, warm)), 1);
          t[0] = System.nanoTime();
          cpu[0] = mx.getCurrentThreadCpuTime();
          // mode episode: an episode's only "turn" is the whole conversation, scored alone just below
          float[] perTurn = mode.equals("turn") ? rm.score(prefixes, 1) : null;
          t[1] = System.nanoTime();
          cpu[1] = mx.getCurrentThreadCpuTime();
          float[][] perEpisode = rm.scoreTurns(conversations, ends, 1);
          t[2] = System.nanoTime();
          cpu[2] = mx.getCurrentThreadCpuTime();
          float[][] inBatches = rm.scoreTurns(conversations, ends, batch);
          t[3] = System.nanoTime();
          cpu[3] = mx.getCurrentThreadCpuTime();
          if (perTurn == null) {
            perTurn = new float[perEpisode.length];
            for (int i = 0; i < perTurn.length; i++) {
              perTurn[i] = perEpisode[i][0];
            }
          }
          return new float[][][] {{perTurn}, perEpisode, inBatches};
        }, worker).join();
        double maxDiff = 0;
        int flat = 0;
        for (int i = 0; i < conversations.size(); i++) {
          for (int k = 0; k < ends.get(i).length; k++) {
            float alone = scores[0][0][flat++];
            maxDiff = Math.max(maxDiff, Math.max(Math.abs(alone - scores[1][i][k]), Math.abs(alone - scores[2][i][k])));
          }
        }
        double n = conversations.size();
        double perTurnRate = n / ((t[1] - t[0]) / 1e9);
        double perEpisodeRate = n / ((t[2] - t[1]) / 1e9);
        double batchedRate = n / ((t[3] - t[2]) / 1e9);
        PrintWriter w = spec.commandLine().getOut();
        String threads = worker.threads() == 0 ? "PyTorch's default" : String.valueOf(worker.threads());
        if (mode.equals("turn")) {
          w.printf(java.util.Locale.ROOT, "rm bench (mode turn): %d episodes, %d turns; episodes/s: each turn's "
              + "conversation so far alone %.1f, one pass per episode %.1f, batched by %d %.1f%n", conversations.size(),
              prefixes.size(), perTurnRate, perEpisodeRate, batch, batchedRate);
          w.printf(java.util.Locale.ROOT, "batched vs each turn alone: %.2fx; batched vs one episode a pass: %.2fx "
              + "(largest score difference %.2e; intra-op threads %s)%n", batchedRate / perTurnRate,
              batchedRate / perEpisodeRate, maxDiff, threads);
        } else {
          w.printf(java.util.Locale.ROOT, "rm bench (mode episode): %d episodes; one at a time %.1f/s, batched by %d "
              + "%.1f/s: %.2fx (largest score difference %.2e; intra-op threads %s)%n", conversations.size(),
              perEpisodeRate, batch, batchedRate, batchedRate / perEpisodeRate, maxDiff, threads);
        }
        w.printf(java.util.Locale.ROOT, "scoring thread CPU s: %sone pass per episode %.2f, batched %.2f%n",
            mode.equals("turn") ? String.format(java.util.Locale.ROOT, "each turn alone %.2f, ",
                (cpu[1] - cpu[0]) / 1e9) : "", (cpu[2] - cpu[1]) / 1e9, (cpu[3] - cpu[2]) / 1e9);
        w.flush();
      }
      return 0;
    }
  }
}
