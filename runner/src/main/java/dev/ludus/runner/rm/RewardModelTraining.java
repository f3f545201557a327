package dev.ludus.runner.rm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.agents.djl.LmTokenizer;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Message;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.learn.RewardModelTrainer;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * {@code ludus rm train}: splits the pairs into training and held-out ones (seeded, by group: the pairs mined from one
 * group share episodes and stay on one side), trains a byte-level BPE on the
 * training pairs' text (so that no text is ever an unknown token), builds a fresh reward model whose context fits
 * the longest pair, and runs Bradley–Terry steps over shuffled mini-batches for a number of epochs, printing after each
 * epoch the training loss and accuracy its steps measured (each before it applied) and the held-out accuracy; the
 * training pairs are scored once more at the end, for the saved record.
 */
public final class RewardModelTraining {
  private RewardModelTraining() {}

  /**
   * How to train.
   *
   * @param layers decoder layers
   * @param width model width
   * @param heads attention heads
   * @param vocab the BPE's most tokens
   * @param epochs passes over the training pairs
   * @param batch pairs per step
   * @param learningRate AdamW's step
   * @param holdout the share of pairs held out, in [0, 0.9]
   * @param seed the split's, the shuffles' and the weights' seed
   * @param device the DJL device ({@code cpu}, {@code gpu}, {@code gpu:N}; see the README's GPU notes)
   */
  public record Options(int layers, int width, int heads, int vocab, int epochs, int batch, double learningRate,
      double holdout, long seed, String device) {
    public Options {
      if (epochs < 1 || epochs > 10_000) {
        throw new ConfigException("--epochs must be in [1, 10000], was " + epochs);
      }
      if (batch < 1 || batch > 4096) {
        throw new ConfigException("--batch must be in [1, 4096], was " + batch);
      }
      if (!(learningRate > 0 && learningRate < 1)) {
        throw new ConfigException("--learning-rate must be in (0, 1), was " + learningRate);
      }
      if (!(holdout >= 0 && holdout <= 0.9)) {
        throw new ConfigException("--holdout must be in [0, 0.9], was " + holdout);
      }
    }
  }

  /** The trained model and the split it was trained and measured on. */
  public record Result(RewardModel model, List<PreferenceExample> train, List<PreferenceExample> heldOut,
      RewardModelEvaluation.Report trainReport, RewardModelEvaluation.Report heldOutReport) {}

  /** Trains a fresh reward model on {@code examples}; the caller closes the result's model. */
  public static Result train(List<PreferenceExample> examples, Options o, PrintWriter out) {
    return train(examples, o, null, out);
  }

  /**
   * Trains a reward model on {@code examples}: a fresh one, or (with {@code trunk}, a djl-lm checkpoint directory)
   * one on that checkpoint's trunk and tokenizer ({@link RewardModel#fromCheckpoint}; the model-size options are then
   * not used); the caller closes the result's model.
   */
  public static Result train(List<PreferenceExample> examples, Options o, java.nio.file.Path trunk, PrintWriter out) {
    if (examples.size() < 2) {
      throw new ConfigException("a reward model needs at least 2 preference pairs, got " + examples.size()
          + " (episode files give pairs only where a group's episodes score differently)");
    }
    // split by group: pairs mined from one group share episodes, so they go to the same side
    java.util.Map<String, List<PreferenceExample>> byGroup = new java.util.LinkedHashMap<>();
    for (int i = 0; i < examples.size(); i++) {
      PreferenceExample e = examples.get(i);
      byGroup.computeIfAbsent(e.group() != null ? "g:" + e.group() : "p:" + i, k -> new ArrayList<>()).add(e);
    }
    List<List<PreferenceExample>> groups = new ArrayList<>(byGroup.values());
    Collections.shuffle(groups, new Random(o.seed()));
    int target = (int) Math.round(examples.size() * o.holdout());
    List<PreferenceExample> heldOutList = new ArrayList<>();
    List<PreferenceExample> trainList = new ArrayList<>();
    for (List<PreferenceExample> g : groups) {
      (heldOutList.size() < target ? heldOutList : trainList).addAll(g);
    }
    if (trainList.isEmpty()) {
      throw new ConfigException("--holdout " + o.holdout() + " leaves no training pairs: the " + examples.size()
          + " pairs come from " + groups.size() + " groups, and a group's pairs stay together");
    }
    List<PreferenceExample> heldOut = List.copyOf(heldOutList);
    List<PreferenceExample> train = List.copyOf(trainList);
    RewardModel model = trunk == null ? fresh(examples, train, o, out) : RewardModel.fromCheckpoint(trunk, o.device(),
        o.seed());
    if (trunk != null) {
      var spec = model.model().spec();
      out.printf(Locale.ROOT, "reward model on the trunk of %s: %d layers, width %d, context %d, vocabulary %d; %d "
          + "training pairs, %d held out%n", trunk, spec.layers(), spec.width(), spec.context(), spec.vocabSize(),
          train.size(), heldOut.size());
    } else {
      out.printf(Locale.ROOT, "%d held-out pairs%n", heldOut.size());
    }
    Random shuffle = new Random(o.seed() + 1);
    RewardModelEvaluation.Report trainReport = null;
    RewardModelEvaluation.Report heldOutReport = null;
    try (RewardModelTrainer trainer = new RewardModelTrainer(model.model(), o.learningRate(), 1.0)) {
      for (int epoch = 0; epoch < o.epochs(); epoch++) {
        List<PreferenceExample> order = new ArrayList<>(train);
        Collections.shuffle(order, shuffle);
        double loss = 0;
        double right = 0;
        for (int start = 0; start < order.size(); start += o.batch()) {
          List<PreferenceExample> part = order.subList(start, Math.min(order.size(), start + o.batch()));
          List<int[]> chosen = new ArrayList<>();
          List<int[]> rejected = new ArrayList<>();
          for (PreferenceExample e : part) {
            chosen.add(model.ids(e.chosen()));
            rejected.add(model.ids(e.rejected()));
          }
          RewardModelTrainer.Stats s = trainer.step(chosen, rejected);
          loss += s.loss() * part.size();
          right += s.accuracy() * part.size();
        }
        heldOutReport = heldOut.isEmpty() ? null : RewardModelEvaluation.evaluate(model, heldOut);
        // the training accuracy of an epoch is measured by its steps, each before it applied (as TRL logs it), so
        // the training pairs are not scored a second time every epoch
        out.printf(Locale.ROOT, "epoch %3d/%d  loss %.4f  train accuracy %.3f%s%n", epoch + 1, o.epochs(),
            loss / order.size(), right / order.size(),
            heldOutReport == null ? "" : String.format(Locale.ROOT, "  held-out accuracy %.3f",
                heldOutReport.overall().accuracy()));
        out.flush();
      }
      trainReport = RewardModelEvaluation.evaluate(model, train);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
    return new Result(model, train, heldOut, trainReport, heldOutReport);
  }

  /** A fresh model: a byte-level BPE on the training pairs' text, a context that fits the longest pair. */
  private static RewardModel fresh(List<PreferenceExample> examples, List<PreferenceExample> train, Options o,
      PrintWriter out) {
    List<String> texts = new ArrayList<>();
    for (PreferenceExample e : train) {
      for (Message m : e.chosen()) {
        texts.add(m.content() == null ? "" : m.content());
      }
      for (Message m : e.rejected()) {
        texts.add(m.content() == null ? "" : m.content());
      }
    }
    LmTokenizer tokenizer = LmTokenizer.byteLevelBpe(texts, o.vocab());
    int longest = 0;
    for (PreferenceExample e : examples) {
      longest = Math.max(longest, Math.max(dev.ludus.agents.djl.ConversationIds.of(tokenizer, e.chosen()).length,
          dev.ludus.agents.djl.ConversationIds.of(tokenizer, e.rejected()).length));
    }
    int context = Math.min(1024, Math.max(32, (longest + 31) / 32 * 32));
    RewardModel model = RewardModel.create(tokenizer, o.layers(), o.width(), o.heads(), context, o.device(), o.seed());
    out.printf(Locale.ROOT, "reward model: %d layers, width %d, context %d, BPE of %d tokens; %d training pairs%n",
        o.layers(), o.width(), context, tokenizer.vocabSize(), train.size());
    return model;
  }

  /** What {@code reward-model.json} records of a training. */
  public static ObjectNode about(Options o, Result r, List<String> sources) {
    ObjectNode n = Json.JSON.valueToTree(o);
    n.set("sources", Json.JSON.valueToTree(sources));
    n.put("trainPairs", r.train().size()).put("heldOutPairs", r.heldOut().size());
    n.put("trainAccuracy", r.trainReport().overall().accuracy());
    if (r.heldOutReport() != null) {
      n.put("heldOutAccuracy", r.heldOutReport().overall().accuracy());
    }
    return n;
  }
}
