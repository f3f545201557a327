package dev.ludus.runner.rm;

import dev.ludus.agents.djl.ConversationIds;
import dev.ludus.agents.djl.LmTokenizer;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Message;
import dev.ludus.api.Seeds;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * {@code ludus rm crm}: CRM's experiment. For each label-noise rate (the share of training pairs whose chosen and
 * rejected sides are swapped; the held-out pairs stay clean) and each seed, trains one reward model on all the
 * training pairs (without peer review) and a CRM pair ({@link CollaborativeRewardModels}, with peer review and the
 * curriculum) on the same pairs, from the same initial weights, and measures each one's held-out accuracy; prints the
 * mean ± standard deviation over seeds.
 *
 * <p>The pairs are given (mined from a run, or a preference file) or, by default, synthetic ({@link #synthetic}):
 * replies of a few words, the one with more courteous words preferred, which a one-layer model learns in seconds.
 */
public final class CrmExperiment {
  private CrmExperiment() {}

  /**
   * The experiment's settings.
   *
   * @param noises the label-noise rates, each in [0, 0.5)
   * @param seeds seeds per rate
   * @param heldOut the share of pairs held out (by group), in (0, 0.9]
   * @param layers decoder layers of every model
   * @param width model width
   * @param heads attention heads
   * @param vocab the BPE's most tokens
   * @param crm the training settings, shared by both arms ({@code dropMax}, {@code rampEpochs} and
   *     {@code curriculum} only matter with peer review)
   */
  public record Options(List<Double> noises, int seeds, double heldOut, int layers, int width, int heads, int vocab,
      CollaborativeRewardModels.Options crm) {
    public Options {
      noises = List.copyOf(noises);
      for (double n : noises) {
        if (!(n >= 0 && n < 0.5)) {
          throw new ConfigException("--noise rates must be in [0, 0.5), was " + n);
        }
      }
      if (seeds < 1) {
        throw new ConfigException("--seeds must be at least 1, was " + seeds);
      }
      if (!(heldOut > 0 && heldOut <= 0.9)) {
        throw new ConfigException("--holdout must be in (0, 0.9], was " + heldOut);
      }
    }
  }

  /**
   * One row of the table.
   *
   * @param noise the rate
   * @param alone held-out accuracy per seed without peer review
   * @param peer held-out accuracy per seed with peer review (the first of the two models)
   * @param droppedFlipped per seed, the share of dropped pairs whose label was flipped
   */
  public record Row(double noise, double[] alone, double[] peer, double[] droppedFlipped) {}

  private static final String[] GOOD = {"please", "thanks", "gladly", "sure", "kindly", "welcome", "happy", "great"};
  private static final String[] BAD = {"no", "whatever", "later", "busy", "wrong", "meh", "nope", "go"};

  /**
   * {@code n} synthetic pairs: a user asks for help, each reply is six words drawn from courteous and curt ones, the
   * reply with more courteous words preferred (the counts always differ). Each pair is its own group.
   */
  public static List<PreferenceExample> synthetic(int n, long seed) {
    Random r = new Random(seed);
    List<PreferenceExample> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int a = r.nextInt(7);
      int b = r.nextInt(6);
      b = b >= a ? b + 1 : b;
      List<Message> prompt = List.of(Message.user("Can you help me?"));
      List<Message> chosen = new ArrayList<>(prompt);
      chosen.add(Message.assistant(reply(Math.max(a, b), r)));
      List<Message> rejected = new ArrayList<>(prompt);
      rejected.add(Message.assistant(reply(Math.min(a, b), r)));
      out.add(new PreferenceExample("synthetic", chosen, rejected, "s" + i));
    }
    return out;
  }

  private static String reply(int good, Random r) {
    List<String> words = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      words.add(i < good ? GOOD[r.nextInt(GOOD.length)] : BAD[r.nextInt(BAD.length)]);
    }
    Collections.shuffle(words, r);
    return String.join(" ", words);
  }

  /** Runs the experiment on {@code pairs}, printing one line per trained arm and then the table. */
  public static List<Row> run(List<PreferenceExample> pairs, Options o, PrintWriter out) {
    if (pairs.size() < 4) {
      throw new ConfigException("the CRM experiment needs at least 4 preference pairs, got " + pairs.size());
    }
    List<Row> rows = new ArrayList<>();
    for (double noise : o.noises()) {
      double[] alone = new double[o.seeds()];
      double[] peer = new double[o.seeds()];
      double[] df = new double[o.seeds()];
      for (int s = 0; s < o.seeds(); s++) {
        long seed = Seeds.mix(o.crm().seed(), s);
        List<PreferenceExample> shuffled = new ArrayList<>(pairs);
        Collections.shuffle(shuffled, new Random(seed));
        int held = Math.max(1, (int) Math.round(shuffled.size() * o.heldOut()));
        List<PreferenceExample> test = shuffled.subList(0, held);
        List<PreferenceExample> clean = shuffled.subList(held, shuffled.size());
        boolean[] flipped = new boolean[clean.size()];
        List<PreferenceExample> train = new ArrayList<>(clean.size());
        Random flip = new Random(seed + 1);
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < clean.size(); i++) {
          idx.add(i);
        }
        Collections.shuffle(idx, flip);
        int flips = (int) Math.round(noise * clean.size());
        for (int i = 0; i < flips; i++) {
          flipped[idx.get(i)] = true;
        }
        for (int i = 0; i < clean.size(); i++) {
          PreferenceExample e = clean.get(i);
          train.add(flipped[i] ? new PreferenceExample(e.category(), e.rejected(), e.chosen(), e.group()) : e);
        }
        LmTokenizer tokenizer = tokenizer(train, o.vocab());
        int context = context(tokenizer, pairs);
        CollaborativeRewardModels.Options c = o.crm();
        CollaborativeRewardModels.Options run = new CollaborativeRewardModels.Options(c.epochs(), c.batch(),
            c.learningRate(), c.dropMax(), c.rampEpochs(), c.curriculum(), seed);
        try (RewardModel single = model(tokenizer, o, context, seed);
            RewardModel a = model(tokenizer, o, context, seed);
            RewardModel b = model(tokenizer, o, context, seed + 7)) {
          CollaborativeRewardModels.trainAlone(single, train, run);
          alone[s] = RewardModelEvaluation.evaluate(single, test).overall().accuracy();
          CollaborativeRewardModels.Stats st = CollaborativeRewardModels.train(a, b, train, flipped, run);
          peer[s] = RewardModelEvaluation.evaluate(a, test).overall().accuracy();
          df[s] = st.dropped() == 0 ? 0 : (double) st.droppedFlipped() / st.dropped();
          out.printf(Locale.ROOT, "noise %.2f seed %d: %d training pairs (%d flipped), %d held out; held-out accuracy "
              + "%.3f alone, %.3f with peer review (dropped %d pairs, %.0f%% of them flipped)%n", noise, s + 1,
              train.size(), flips, test.size(), alone[s], peer[s], st.dropped(), 100 * df[s]);
          out.flush();
        }
      }
      rows.add(new Row(noise, alone, peer, df));
    }
    out.print(table(rows));
    out.flush();
    return rows;
  }

  private static LmTokenizer tokenizer(List<PreferenceExample> train, int vocab) {
    List<String> texts = new ArrayList<>();
    for (PreferenceExample e : train) {
      for (Message m : e.chosen()) {
        texts.add(m.content() == null ? "" : m.content());
      }
      for (Message m : e.rejected()) {
        texts.add(m.content() == null ? "" : m.content());
      }
    }
    return LmTokenizer.byteLevelBpe(texts, vocab);
  }

  private static int context(LmTokenizer tokenizer, List<PreferenceExample> pairs) {
    int longest = 0;
    for (PreferenceExample e : pairs) {
      longest = Math.max(longest, Math.max(ConversationIds.of(tokenizer, e.chosen()).length,
          ConversationIds.of(tokenizer, e.rejected()).length));
    }
    return Math.min(1024, Math.max(16, (longest + 15) / 16 * 16));
  }

  private static RewardModel model(LmTokenizer tokenizer, Options o, int context, long seed) {
    return RewardModel.create(tokenizer, o.layers(), o.width(), o.heads(), context, "cpu", seed);
  }

  /** The table: per noise rate, held-out accuracy mean ± std over seeds, without and with peer review. */
  public static String table(List<Row> rows) {
    StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-7s %-22s %-22s %s%n", "noise",
        "without peer review", "with peer review", "flipped share of dropped"));
    for (Row r : rows) {
      b.append(String.format(Locale.ROOT, "%-7s %-22s %-22s %s%n", String.format(Locale.ROOT, "%.0f%%", 100 * r.noise()),
          meanStd(r.alone()), meanStd(r.peer()), meanStd(r.droppedFlipped())));
    }
    return b.toString();
  }

  static String meanStd(double[] v) {
    double mean = 0;
    for (double x : v) {
      mean += x;
    }
    mean /= v.length;
    double var = 0;
    for (double x : v) {
      var += (x - mean) * (x - mean);
    }
    double std = v.length > 1 ? Math.sqrt(var / (v.length - 1)) : 0;
    return String.format(Locale.ROOT, "%.3f ± %.3f", mean, std);
  }
}
