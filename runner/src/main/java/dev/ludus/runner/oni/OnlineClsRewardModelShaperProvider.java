package dev.ludus.runner.oni;

import dev.ludus.api.Episode;
import dev.ludus.api.GroupShaper;
import dev.ludus.api.PluginContext;
import dev.ludus.api.RewardContribution;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.ShaperProvider;
import dev.ludus.api.batch.Batcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * {@code online_cls_reward_model} (ONI's classification variant): a small classifier trained online on the LLM
 * annotator's labels scores the messages the annotator has not labelled yet.
 *
 * <p>Formula: {@code r_t = label(m_t)} when the annotator has labelled {@code m_t} (as {@code online_cls}), else
 * {@code σ(f_θ(m_t))}, the classifier's probability that {@code m_t} shows progress ({@code unlabeled} until it has
 * trained on {@code minLabels} labels); {@code f_θ} is {@link TextNet} (hashed words and word pairs, one hidden layer)
 * or, with {@code encoder: char-cnn}, {@link CharCnn} (ONI's kind: a convolution over the message's bytes, max-pooled),
 * trained by Adam on the binary cross-entropy of every label as it arrives; either is divided by
 * {@code N_ep(m_t)^β}, the message's count in the episode so far ({@code countExponent}, default 3), as
 * {@code online_cls}'s. Paper: Zheng et al. 2024, "Online Intrinsic Rewards for Decision Making Agents from Large
 * Language Model Feedback" (ONI), whose classifier is a character-level CNN over the message's bytes.
 *
 * <p>Law (unit-tested): after online updates on LLM-labelled messages, the classifier's accuracy on held-out messages
 * the LLM labels by the same rule is above chance.
 *
 * <p>Design: the label table is shared with {@code online_cls} on the same endpoint; labels train the classifier in
 * rounds on the run's worker pool ({@link OnlineLearner}); unlabelled messages of every group in flight are scored
 * through one {@link Batcher} on the same pool, never on an event loop.
 */
public final class OnlineClsRewardModelShaperProvider
    implements ShaperProvider<OnlineClsRewardModelShaperProvider.Config> {
  static final String NAME = "online-cls-reward-model";


  /**
   * @param endpoint the annotator's chat endpoint in the run's {@code llm:} section; default {@code annotator}
   * @param message {@code observation} (default) or {@code action}
   * @param unlabeled the reward of an unlabelled message before the classifier has {@code minLabels} labels; default 0
   * @param minLabels labels the classifier trains on before it scores, >= 1; default 8
   * @param hidden the classifier's hidden units, 1 to 1024; default 32
   * @param learningRate Adam's learning rate, in (0, 1]; default 0.01
   * @param updates Adam steps per training round (a round follows each arrival of labels), 1 to 1000; default 8
   * @param maxBatch the most messages per scoring pass, 1 to 4096; default 256
   * @param countExponent β of the division by the message's count in the episode, in [0, 16] (0: none); default 3
   * @param encoder {@code ngrams} (default: hashed words and word pairs, one hidden layer of {@code hidden} units) or
   *     {@code char-cnn} (ONI's kind: a convolution over the message's bytes with {@code hidden} filters, max-pooled)
   */
  public record Config(String endpoint, String message, double unlabeled, int minLabels, int hidden,
      double learningRate, int updates, int maxBatch, double countExponent, String encoder) {
    /** A configuration with the default encoder. */
    public Config(String endpoint, String message, double unlabeled, int minLabels, int hidden, double learningRate,
        int updates, int maxBatch, double countExponent) {
      this(endpoint, message, unlabeled, minLabels, hidden, learningRate, updates, maxBatch, countExponent, null);
    }

    public Config {
      encoder = OniChecks.encoder(NAME, encoder);
      endpoint = OniChecks.endpoint(endpoint);
      message = TurnMessages.check(NAME, message);
      minLabels = OniChecks.orDefault(minLabels, 8);
      hidden = OniChecks.orDefault(hidden, 32);
      learningRate = learningRate == 0 ? 0.01 : learningRate;
      updates = OniChecks.orDefault(updates, 8);
      maxBatch = OniChecks.orDefault(maxBatch, 256);
      OniChecks.range(NAME, "minLabels", minLabels, 1, 1_000_000);
      OniChecks.network(NAME, hidden, learningRate, updates, maxBatch);
      TurnMessages.checkCountExponent(NAME, countExponent);
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "ONI classification: a small classifier trained online on the LLM's labels scores unlabelled messages";
  }

  @Override
  public String formula() {
    return "r_t = (label(m_t) when labelled, else sigma(f(m_t))) / N_ep(m_t)^beta, f a hashed-n-gram MLP (or a "
        + "byte-level CNN, encoder: char-cnn) trained online by BCE on the annotator's labels, N_ep(m_t) = m_t's count in the episode so far";
  }

  @Override
  public String reference() {
    return OnlineClsShaperProvider.ONI;
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return new Config("annotator", "observation", 0, 8, 32, 0.01, 8, 256, 3, "ngrams");
  }

  /** The classifier of one endpoint and configuration: its network, its online learner, its scoring batcher. */
  static final class Classifier implements AutoCloseable {
    final MessageNet net;
    final OnlineLearner<Labelled> learner;
    final Batcher<String, Double> batcher;

    Classifier(Config config, LabelTable table, PluginContext context) {
      net = OniChecks.network(config.encoder(), config.hidden(), config.learningRate(), 17);
      learner = new OnlineLearner<>(context.blockingExecutor(), batch -> {
        float[] y = new float[batch.size()];
        for (int i = 0; i < y.length; i++) {
          y[i] = batch.get(i).label();
        }
        net.trainLabels(batch.stream().map(Labelled::message).toList(), y);
      }, 4096, 64, config.updates());
      table.onLabel((m, l) -> learner.offer(new Labelled(m, l)));
      batcher = Batcher.<String, Double>builder(NAME, texts -> {
        List<Double> out = new ArrayList<>(texts.size());
        if (learner.examples() < config.minLabels()) {
          texts.forEach(t -> out.add(config.unlabeled()));
          return out;
        }
        for (float z : net.scores(texts)) {
          out.add(1 / (1 + Math.exp(-z)));
        }
        return out;
      }).maxBatch(config.maxBatch()).maxWait(Duration.ofMillis(2)).executor(context.blockingExecutor()).build();
    }

    @Override
    public void close() {
      try {
        batcher.close();
      } finally {
        net.close();
      }
    }
  }

  /** A message and its label. */
  record Labelled(String message, int label) {}

  @Override
  public RewardShaper create(Config config, PluginContext context) {
    LabelTable table = OnlineClsShaperProvider.table(context, config.endpoint());
    Classifier classifier = context.shared("oni/classifier/" + config, Classifier.class,
        () -> new Classifier(config, table, context));
    return new Shaper(table, classifier, config.message(), config.countExponent());
  }

  private record Shaper(LabelTable table, Classifier classifier, String kind, double beta) implements GroupShaper {
    @Override
    public Scope scope() {
      return Scope.TURN;
    }

    @Override
    public CompletionStage<List<List<RewardContribution>>> shapeGroup(List<Episode> group) {
      List<List<RewardContribution>> out = new ArrayList<>();
      List<String> unlabelled = new ArrayList<>();
      List<int[]> where = new ArrayList<>(); // {episode, turn}
      List<double[]> counts = new ArrayList<>();
      // each distinct message is looked up once per call, so its repeats share one base score even when the
      // annotator's label for it arrives while the group is being read (the count division stays exact)
      Map<String, Optional<Integer>> labels = new HashMap<>();
      for (int e = 0; e < group.size(); e++) {
        out.add(new ArrayList<>());
        List<String> messages = TurnMessages.of(group.get(e), kind);
        double[] count = TurnMessages.countCoefficients(messages, beta);
        counts.add(count);
        for (int t = 0; t < messages.size(); t++) {
          if (messages.get(t).isEmpty()) {
            continue;
          }
          Optional<Integer> label = labels.computeIfAbsent(messages.get(t), table::lookup);
          if (label.isPresent()) {
            out.get(e).add(new RewardContribution(t, "score", label.get() * count[t]));
          } else {
            unlabelled.add(messages.get(t));
            where.add(new int[] {e, t});
          }
        }
      }
      return classifier.batcher.submitAll(unlabelled).thenApply(scores -> {
        for (int i = 0; i < scores.size(); i++) {
          int e = where.get(i)[0];
          int t = where.get(i)[1];
          out.get(e).add(new RewardContribution(t, "score", scores.get(i) * counts.get(e)[t]));
        }
        for (List<RewardContribution> c : out) {
          c.sort(java.util.Comparator.comparingInt(RewardContribution::turn));
        }
        return out;
      });
    }
  }
}
