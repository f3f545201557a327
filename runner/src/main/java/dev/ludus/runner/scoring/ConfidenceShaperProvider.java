package dev.ludus.runner.scoring;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code confidence} (CRew, catalog C4): the model's confidence in the episode's final answer.
 *
 * <p>Formula: {@code r = exp((1/|y|) Σ_i log p(y_i | x, y_<i))} at the last turn, where {@code y} is the final
 * answer's tokens (the content of the agent's last action, or of its last {@code <answer>…</answer>} tag when it
 * has one, the text before the tag then belonging to the context) and {@code x} the conversation before that action,
 * rendered by the djl-lm chat template. Paper: "Confidence as a Reward: Transforming LLMs into Reward Models"
 * (CRew; the mean probability of the answer span is the catalog's inferred aggregation). An empty answer is recorded
 * as a scoring failure.
 *
 * <p>Law (unit-tested): r equals {@code exp} of the mean of {@code LanguageModel.logProbs} for the same ids, and
 * lies in [0, 1].
 *
 * <p>Design: see {@code SpanScorer}: one model and one batcher per run, forward passes on worker threads.
 */
public final class ConfidenceShaperProvider implements ShaperProvider<ConfidenceShaperProvider.Config> {
  private static final Pattern ANSWER = Pattern.compile("<answer>(.*?)</answer>", Pattern.DOTALL);

  /**
   * @param model a djl-lm checkpoint directory ({@code checkpoints/step-N/policy}); required
   * @param device the DJL device ({@code cpu}, {@code gpu}, {@code auto}); default cpu
   * @param maxBatch the most spans per forward pass, 1 to 4096; default 64
   */
  public record Config(String model, String device, int maxBatch) {
    public Config {
      device = device == null ? "cpu" : device;
      maxBatch = maxBatch == 0 ? 64 : maxBatch;
    }
  }

  @Override
  public String name() {
    return "confidence";
  }

  @Override
  public String description() {
    return "a language model's mean probability of the tokens of the episode's final answer (CRew)";
  }

  @Override
  public String formula() {
    return "r = exp(mean_i log p(y_i | x, y_<i)) at the last turn; y = the last action's <answer> content (else its "
        + "text), x = the conversation before it";
  }

  @Override
  public String reference() {
    return "\"Confidence as a Reward: Transforming LLMs into Reward Models\" (CRew), 2025";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return new Config(null, "cpu", 64);
  }

  @Override
  public RewardShaper create(Config config, PluginContext context) {
    SpanScorer.Handle h = SpanScorer.shared(name(), config.model(), config.device(), config.maxBatch(), context);
    return new Shaper(h.scorer(), h.batcher());
  }

  /** The final-answer span of {@code episode}: {prefix before the answer within the action, answer}. */
  static String[] answer(Message action) {
    String text = action.content();
    Matcher m = ANSWER.matcher(text);
    int start = -1;
    int end = -1;
    while (m.find()) {
      start = m.start(1);
      end = m.end(1);
    }
    return start < 0 ? new String[] {"", text} : new String[] {text.substring(0, start), text.substring(start, end)};
  }

  private record Shaper(SpanScorer scorer, Batcher<SpanScorer.Request, Double> batcher) implements GroupShaper {
    @Override
    public Scope scope() {
      return Scope.EPISODE;
    }

    @Override
    public CompletionStage<List<List<RewardContribution>>> shapeGroup(List<Episode> group) {
      List<SpanScorer.Request> items = new ArrayList<>();
      List<List<RewardContribution>> out = new ArrayList<>();
      List<Integer> where = new ArrayList<>();
      for (int e = 0; e < group.size(); e++) {
        out.add(new ArrayList<>());
        Episode ep = group.get(e);
        List<Turn> turns = ep.turns();
        if (turns.isEmpty()) {
          continue;
        }
        int last = turns.size() - 1;
        List<Message> before = new ArrayList<>(ep.start());
        for (int t = 0; t < last; t++) {
          before.add(turns.get(t).action());
          before.addAll(turns.get(t).observation());
        }
        String[] answer = answer(turns.get(last).action());
        if (scorer.tokenizer().encode(answer[1]).length == 0) {
          out.get(e).add(RewardContribution.failed(last, "confidence", "the final answer has no tokens"));
          continue;
        }
        items.add(new SpanScorer.AssistantSpan(before, answer[0], answer[1]));
        where.add(e);
      }
      return batcher.submitAll(items).thenApply(means -> {
        for (int i = 0; i < means.size(); i++) {
          int e = where.get(i);
          out.get(e).add(new RewardContribution(group.get(e).turns().size() - 1, "confidence", Math.exp(means.get(i))));
        }
        return out;
      });
    }
  }
}
