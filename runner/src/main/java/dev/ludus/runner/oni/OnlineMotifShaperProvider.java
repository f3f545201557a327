package dev.ludus.runner.oni;

import dev.ludus.api.ConfigException;
import dev.ludus.api.Episode;
import dev.ludus.api.GroupShaper;
import dev.ludus.api.PluginContext;
import dev.ludus.api.RewardContribution;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.ShaperProvider;
import dev.ludus.api.batch.Batcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code online_motif} (ONI's ranking variant): a Motif-style reward model trained online by Bradley–Terry on the LLM
 * annotator's preferences between pairs of messages, its reward thresholded at a running quantile.
 *
 * <p>Formula: {@code r̃_t = (f_θ(m_t) − μ)/σ} over the latest {@code window} raw scores (this batch's included), and
 * {@code r_t = r̃_t} when {@code f_θ(m_t)} is at least their {@code epsThresholdQuantile}-quantile, else 0 (Motif's
 * {@code eps_threshold_quantile}); {@code f_θ} is {@link TextNet} (or {@link CharCnn}, {@code encoder: char-cnn}),
 * trained by Adam on
 * {@code −log σ(f_θ(m⁺) − f_θ(m⁻))} over the pairs the annotator ranked: each message seen for the first time is
 * compared with {@code pairsPerMessage} messages seen before (ties dropped). As in Motif and ONI's learner, the
 * reward is then divided by {@code N_ep(m_t)^β}, the message's count in the episode so far, this one included
 * ({@code countExponent}, default 3): {@code r_t = 1[f_θ(m_t) ≥ ε]·r̃_t / N_ep(m_t)^β}. ONI's ranking model reads
 * NetHack's message through the policy's encoder; a message network of its own stands in: hashed words and word pairs
 * ({@code ngrams}, the default) or the byte-level CNN of ONI's classifier ({@code char-cnn}). Papers: Zheng et al. 2024, "Online Intrinsic Rewards for Decision Making Agents
 * from Large Language Model Feedback" (ONI); Klissarov et al. 2023, "Motif: Intrinsic Motivation from Artificial
 * Intelligence Feedback".
 *
 * <p>Laws (unit-tested): the thresholded reward is 0 for a share ≈ q of a batch; after online updates the model
 * orders held-out pairs as the annotator does more often than chance; a message's second occurrence in an episode
 * earns {@code 2^-β} of the first.
 *
 * <p>Design: preferences are asked asynchronously and train the model in rounds on the run's worker pool
 * ({@link OnlineLearner}); the messages of every group in flight are scored through one {@link Batcher} on the same
 * pool (the running window is touched only there), never on an event loop.
 */
public final class OnlineMotifShaperProvider implements ShaperProvider<OnlineMotifShaperProvider.Config> {
  static final String NAME = "online-motif";


  /**
   * @param endpoint the annotator's chat endpoint in the run's {@code llm:} section; default {@code annotator}
   * @param message {@code observation} (default) or {@code action}
   * @param epsThresholdQuantile the quantile below which rewards become 0, in [0, 1); default 0.5
   * @param window the raw scores the quantile and normalisation are taken over, 1 to 1,000,000; default 4096
   * @param pairsPerMessage preferences asked for each new message, 0 to 16; default 1
   * @param hidden the model's hidden units, 1 to 1024; default 32
   * @param learningRate Adam's learning rate, in (0, 1]; default 0.01
   * @param updates Adam steps per training round, 1 to 1000; default 8
   * @param maxBatch the most messages per scoring pass, 1 to 4096; default 256
   * @param countExponent β of the division by the message's count in the episode, in [0, 16] (0: none); default 3
   * @param encoder {@code ngrams} (default: hashed words and word pairs, one hidden layer of {@code hidden} units) or
   *     {@code char-cnn} (a convolution over the message's bytes with {@code hidden} filters, max-pooled)
   */
  public record Config(String endpoint, String message, double epsThresholdQuantile, int window, int pairsPerMessage,
      int hidden, double learningRate, int updates, int maxBatch, double countExponent, String encoder) {
    /** A configuration with the default encoder. */
    public Config(String endpoint, String message, double epsThresholdQuantile, int window, int pairsPerMessage,
        int hidden, double learningRate, int updates, int maxBatch, double countExponent) {
      this(endpoint, message, epsThresholdQuantile, window, pairsPerMessage, hidden, learningRate, updates, maxBatch,
          countExponent, null);
    }

    public Config {
      encoder = OniChecks.encoder(NAME, encoder);
      endpoint = OniChecks.endpoint(endpoint);
      message = TurnMessages.check(NAME, message);
      if (!(epsThresholdQuantile >= 0 && epsThresholdQuantile < 1)) {
        throw new ConfigException(NAME + ": epsThresholdQuantile must be in [0, 1), was " + epsThresholdQuantile);
      }
      window = OniChecks.orDefault(window, 4096);
      hidden = OniChecks.orDefault(hidden, 32);
      learningRate = learningRate == 0 ? 0.01 : learningRate;
      updates = OniChecks.orDefault(updates, 8);
      maxBatch = OniChecks.orDefault(maxBatch, 256);
      OniChecks.range(NAME, "window", window, 1, 1_000_000);
      OniChecks.range(NAME, "pairsPerMessage", pairsPerMessage, 0, 16);
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
    return "ONI ranking: a Bradley-Terry reward model trained online on the LLM's pairwise preferences, thresholded "
        + "at a running quantile (Motif)";
  }

  @Override
  public String formula() {
    return "r_t = [(f(m_t) - mean)/std if f(m_t) >= quantile_q(recent f) else 0] / N_ep(m_t)^beta; f trained "
        + "online by -log sigma(f(m+) - f(m-)) on the annotator's preferences (a hashed-n-gram MLP, or a byte-level "
        + "CNN, encoder: char-cnn); N_ep(m_t) = m_t's count in the episode so far";
  }

  @Override
  public String reference() {
    return OnlineClsShaperProvider.ONI + "; Klissarov et al. 2023, \"Motif: Intrinsic Motivation from Artificial "
        + "Intelligence Feedback\"";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return new Config("annotator", "observation", 0.5, 4096, 1, 32, 0.01, 8, 256, 3, "ngrams");
  }

  /** A preferred message and the other one. */
  record Preference(String winner, String loser) {}

  /** The ranking model of one endpoint and configuration. */
  static final class Ranker implements AutoCloseable {
    final MessageNet net;
    final OnlineLearner<Preference> learner;
    final Batcher<String, Double> batcher;
    final Annotator annotator;
    final int pairsPerMessage;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final List<String> pool = new ArrayList<>(); // guarded by itself
    private final Random random = new Random(0);
    private final RunningQuantile window;

    Ranker(Config config, Annotator annotator, PluginContext context) {
      this.annotator = annotator;
      this.pairsPerMessage = config.pairsPerMessage();
      net = OniChecks.network(config.encoder(), config.hidden(), config.learningRate(), 23);
      window = new RunningQuantile(config.window());
      learner = new OnlineLearner<>(context.blockingExecutor(), batch -> net.trainPairs(
          batch.stream().map(Preference::winner).toList(), batch.stream().map(Preference::loser).toList()),
          4096, 64, config.updates());
      batcher = Batcher.<String, Double>builder(NAME, texts -> {
        float[] raw = net.scores(texts);
        for (float r : raw) {
          window.add(r);
        }
        double eps = window.quantile(config.epsThresholdQuantile());
        double mean = window.mean();
        double std = window.std();
        List<Double> out = new ArrayList<>(raw.length);
        for (float r : raw) {
          out.add(r >= eps ? (r - mean) / std : 0.0);
        }
        return out;
      }).maxBatch(config.maxBatch()).maxWait(Duration.ofMillis(2)).executor(context.blockingExecutor()).build();
    }

    /** Asks the annotator to rank a message seen for the first time against earlier ones. */
    void see(String message) {
      if (!seen.add(message)) {
        return;
      }
      List<String> others = new ArrayList<>();
      synchronized (pool) {
        for (int i = 0; i < pairsPerMessage && !pool.isEmpty(); i++) {
          others.add(pool.get(random.nextInt(pool.size())));
        }
        if (pool.size() < 4096) {
          pool.add(message);
        } else {
          pool.set(random.nextInt(pool.size()), message);
        }
      }
      for (String other : others) {
        annotator.prefer(message, other).thenAccept(p -> p.ifPresent(choice -> {
          if (choice == 1) {
            learner.offer(new Preference(message, other));
          } else if (choice == 2) {
            learner.offer(new Preference(other, message));
          }
        }));
      }
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

  @Override
  public RewardShaper create(Config config, PluginContext context) {
    var client = context.chatClient(config.endpoint());
    Ranker ranker = context.shared("oni/motif/" + config, Ranker.class,
        () -> new Ranker(config, new Annotator(client), context));
    return new Shaper(ranker, config.message(), config.countExponent());
  }

  private record Shaper(Ranker ranker, String kind, double beta) implements GroupShaper {
    @Override
    public Scope scope() {
      return Scope.TURN;
    }

    @Override
    public CompletionStage<List<List<RewardContribution>>> shapeGroup(List<Episode> group) {
      List<String> texts = new ArrayList<>();
      List<int[]> where = new ArrayList<>(); // {episode, turn}
      List<Double> count = new ArrayList<>();
      for (int e = 0; e < group.size(); e++) {
        List<String> messages = TurnMessages.of(group.get(e), kind);
        double[] c = TurnMessages.countCoefficients(messages, beta);
        for (int t = 0; t < messages.size(); t++) {
          if (!messages.get(t).isEmpty()) {
            ranker.see(messages.get(t));
            texts.add(messages.get(t));
            where.add(new int[] {e, t});
            count.add(c[t]);
          }
        }
      }
      return ranker.batcher.submitAll(texts).thenApply(scores -> {
        List<List<RewardContribution>> out = new ArrayList<>();
        for (int e = 0; e < group.size(); e++) {
          out.add(new ArrayList<>());
        }
        for (int i = 0; i < scores.size(); i++) {
          out.get(where.get(i)[0]).add(new RewardContribution(where.get(i)[1], "score", scores.get(i) * count.get(i)));
        }
        return out;
      });
    }
  }
}
