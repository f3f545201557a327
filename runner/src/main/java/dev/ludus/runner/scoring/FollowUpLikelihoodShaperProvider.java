package dev.ludus.runner.scoring;

import dev.ludus.api.ConfigException;
import dev.ludus.api.Episode;
import dev.ludus.api.GroupShaper;
import dev.ludus.api.Message;
import dev.ludus.api.PluginContext;
import dev.ludus.api.RewardContribution;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.ShaperProvider;
import dev.ludus.api.Turn;
import dev.ludus.api.batch.Batcher;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * {@code follow-up-likelihood} (FLR, catalog A14): after each agent turn, how much more likely a model finds a
 * pleased follow-up from the user than a displeased one.
 *
 * <p>Formula: {@code r_t = mean_{f∈F+} log p(f | h_t) − mean_{f∈F−} log p(f | h_t)}, where {@code h_t} is the
 * conversation up to and including the agent's action at turn t, {@code f} is written as the next user message, and
 * {@code log p(f | h_t)} is the mean log-probability of the template's tokens (per token, so templates of different
 * lengths compare). Paper: Zhang et al. 2024, "Aligning Language Models Using Follow-up Likelihood as Reward Signal"
 * (FLR).
 *
 * <p>Law (unit-tested): swapping {@code positive} and {@code negative} negates every reward; equal lists give 0.
 *
 * <p>Design: see {@code SpanScorer}: one model and one batcher per run; every (turn, template) span of a group goes
 * to the batcher at once.
 */
public final class FollowUpLikelihoodShaperProvider implements ShaperProvider<FollowUpLikelihoodShaperProvider.Config> {
  static final List<String> POSITIVE = List.of("Thank you, that is exactly right.", "Great, that is what I needed.");
  static final List<String> NEGATIVE = List.of("That is wrong.", "No, that is not what I asked.");

  /**
   * @param model a djl-lm checkpoint directory ({@code checkpoints/step-N/policy}); required
   * @param positive the pleased follow-ups F+; default two thanks
   * @param negative the displeased follow-ups F−; default two complaints
   * @param device the DJL device; default cpu
   * @param maxBatch the most spans per forward pass, 1 to 4096; default 64
   */
  public record Config(String model, List<String> positive, List<String> negative, String device, int maxBatch) {
    public Config {
      positive = positive == null ? POSITIVE : List.copyOf(positive);
      negative = negative == null ? NEGATIVE : List.copyOf(negative);
      if (positive.isEmpty() || negative.isEmpty()) {
        throw new ConfigException("follow-up-likelihood: positive and negative each need at least one template");
      }
      for (String s : positive) {
        check(s);
      }
      for (String s : negative) {
        check(s);
      }
      device = device == null ? "cpu" : device;
      maxBatch = maxBatch == 0 ? 64 : maxBatch;
    }

    private static void check(String template) {
      if (template == null || template.isBlank()) {
        throw new ConfigException("follow-up-likelihood: a follow-up template is blank; each must be a message");
      }
    }
  }

  @Override
  public String name() {
    return "follow-up-likelihood";
  }

  @Override
  public String description() {
    return "per turn, a model's log-likelihood of a pleased user follow-up minus that of a displeased one (FLR)";
  }

  @Override
  public String formula() {
    return "r_t = mean_{f in F+} log p(f | h_t) - mean_{f in F-} log p(f | h_t), f as the next user message after "
        + "action t, log p per token";
  }

  @Override
  public String reference() {
    return "Zhang et al. 2024, \"Aligning Language Models Using Follow-up Likelihood as Reward Signal\" (FLR)";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return new Config(null, POSITIVE, NEGATIVE, "cpu", 64);
  }

  @Override
  public RewardShaper create(Config config, PluginContext context) {
    SpanScorer.Handle h = SpanScorer.shared(name(), config.model(), config.device(), config.maxBatch(), context);
    return new Shaper(h.scorer(), h.batcher(), config.positive(), config.negative());
  }

  private record Shaper(SpanScorer scorer, Batcher<SpanScorer.Request, Double> batcher, List<String> positive,
      List<String> negative) implements GroupShaper {
    @Override
    public Scope scope() {
      return Scope.TURN;
    }

    @Override
    public CompletionStage<List<List<RewardContribution>>> shapeGroup(List<Episode> group) {
      List<SpanScorer.Request> items = new ArrayList<>();
      List<int[]> where = new ArrayList<>(); // {episode, turn}
      for (int e = 0; e < group.size(); e++) {
        Episode ep = group.get(e);
        List<Turn> turns = ep.turns();
        List<Message> so = new ArrayList<>(ep.start());
        for (int t = 0; t < turns.size(); t++) {
          so.add(turns.get(t).action());
          for (String f : positive) {
            items.add(new SpanScorer.UserFollowUp(so, f));
          }
          for (String f : negative) {
            items.add(new SpanScorer.UserFollowUp(so, f));
          }
          where.add(new int[] {e, t});
          so.addAll(turns.get(t).observation());
        }
      }
      int per = positive.size() + negative.size();
      return batcher.submitAll(items).thenApply(lp -> {
        List<List<RewardContribution>> out = new ArrayList<>();
        for (int e = 0; e < group.size(); e++) {
          out.add(new ArrayList<>());
        }
        for (int i = 0; i < where.size(); i++) {
          double pos = 0;
          double neg = 0;
          for (int j = 0; j < positive.size(); j++) {
            pos += lp.get(i * per + j);
          }
          for (int j = 0; j < negative.size(); j++) {
            neg += lp.get(i * per + positive.size() + j);
          }
          double r = pos / positive.size() - neg / negative.size();
          out.get(where.get(i)[0]).add(new RewardContribution(where.get(i)[1], "follow-up", r));
        }
        return out;
      });
    }
  }
}
