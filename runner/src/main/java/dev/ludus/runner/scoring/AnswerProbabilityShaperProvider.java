package dev.ludus.runner.scoring;

import dev.ludus.api.ConfigException;
import dev.ludus.api.Episode;
import dev.ludus.api.GroupShaper;
import dev.ludus.api.Message;
import dev.ludus.api.PluginContext;
import dev.ludus.api.RewardContribution;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.ShaperProvider;
import dev.ludus.api.SignalKey;
import dev.ludus.api.Turn;
import dev.ludus.api.batch.Batcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * {@code answer-probability} (IGPO's information gain): per turn, how much the turn raised a model's probability of
 * the task's gold answer.
 *
 * <p>Formula: {@code p_k = exp((1/|g|) Σ_i log p(g_i | c_k, s, g_<i))}, where {@code g} is the gold answer (the task
 * field named by {@code answer}), {@code s} the fixed pseudo-response written by the assistant before it
 * ({@code pseudoResponse}, IGPO's "Now there's enough information to answer ... &lt;answer&gt;") and {@code c_k} the
 * conversation after k turns ({@code c_0} the opening; {@code c_k} adds turn k−1's action and observation); a field
 * holding a JSON array of strings (search-qa's {@code answer}) gives its first one, and {@code answerSignal} takes the
 * gold answer from a signal of the episode's start instead (guess-number's secret {@code target}). Turn t's
 * reward is {@code r_t = p_{t+1} − p_t}. Paper: Wang et al. 2025, "Information Gain-based Policy Optimization: A
 * Simple and Effective Approach for Multi-Turn LLM Agents" (IGPO). A task without the field is recorded as a scoring
 * failure at its last turn.
 *
 * <p>Law (unit-tested): the turn rewards of an episode sum to {@code p_T − p_0}.
 *
 * <p>Design: see {@code SpanScorer}: one forward pass row per turn (plus the opening) of every episode in the group,
 * through the run's one batcher.
 */
public final class AnswerProbabilityShaperProvider implements ShaperProvider<AnswerProbabilityShaperProvider.Config> {
  static final String PSEUDO = "\nNow there's enough information to answer\n</think>\n<answer>\n";

  /**
   * @param model a djl-lm checkpoint directory ({@code checkpoints/step-N/policy}); required
   * @param answer the task field holding the gold answer; default {@code answer}
   * @param pseudoResponse the assistant text written before the answer; default IGPO's
   * @param device the DJL device; default cpu
   * @param maxBatch the most spans per forward pass, 1 to 4096; default 64
   * @param answerSignal the start signal holding the gold answer, instead of a task field (such as guess-number's
   *     secret {@code target}); default none
   */
  public record Config(String model, String answer, String pseudoResponse, String device, int maxBatch,
      String answerSignal) {
    /** Gold answers from a task field. */
    public Config(String model, String answer, String pseudoResponse, String device, int maxBatch) {
      this(model, answer, pseudoResponse, device, maxBatch, null);
    }

    public Config {
      answer = answer == null ? "answer" : answer;
      if (answer.isBlank()) {
        throw new ConfigException("answer-probability: answer must name a task field, such as answer");
      }
      pseudoResponse = pseudoResponse == null ? PSEUDO : pseudoResponse;
      device = device == null ? "cpu" : device;
      maxBatch = maxBatch == 0 ? 64 : maxBatch;
    }
  }

  @Override
  public String name() {
    return "answer-probability";
  }

  @Override
  public String description() {
    return "per turn, the rise in a model's probability of the task's gold answer after a pseudo-response (IGPO)";
  }

  @Override
  public String formula() {
    return "p_k = exp(mean_i log p(g_i | c_k, pseudo-response, g_<i)), c_k = the conversation after k turns; "
        + "r_t = p_{t+1} - p_t (turn 0 against the opening)";
  }

  @Override
  public String reference() {
    return "Wang et al. 2025, \"Information Gain-based Policy Optimization: A Simple and Effective Approach for "
        + "Multi-Turn LLM Agents\" (IGPO)";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return new Config(null, "answer", PSEUDO, "cpu", 64, null);
  }

  @Override
  public RewardShaper create(Config config, PluginContext context) {
    SpanScorer.Handle h = SpanScorer.shared(name(), config.model(), config.device(), config.maxBatch(), context);
    SignalKey<Object> signal = config.answerSignal() == null ? null : SignalKey.of(config.answerSignal(), Object.class);
    return new Shaper(h.scorer(), h.batcher(), config.answer(), signal, config.pseudoResponse());
  }

  /**
   * The gold answer of {@code ep}: the start signal {@code signal} when named, else the task field {@code field} (its
   * first string when it holds a JSON array of strings); null when there is none.
   */
  static String gold(Episode ep, String field, SignalKey<Object> signal) {
    if (signal != null) {
      return ep.startSignals().get(signal).map(String::valueOf).orElse(null);
    }
    Map<String, String> fields = ep.task() == null ? null : ep.task().fields();
    String v = fields == null ? null : fields.get(field);
    if (v != null && v.startsWith("[")) {
      try {
        var node = dev.ludus.runner.config.Json.JSON.readTree(v);
        if (node.isArray() && !node.isEmpty() && node.get(0).isTextual()) {
          return node.get(0).asText();
        }
      } catch (java.io.IOException e) {
        return v; // not JSON: the text itself
      }
    }
    return v;
  }

  private record Shaper(SpanScorer scorer, Batcher<SpanScorer.Request, Double> batcher, String field,
      SignalKey<Object> signal, String pseudo) implements GroupShaper {
    @Override
    public Scope scope() {
      return Scope.TURN;
    }

    @Override
    public Set<SignalKey<?>> requiredSignals() {
      return signal == null ? Set.of() : Set.of(signal);
    }

    @Override
    public CompletionStage<List<List<RewardContribution>>> shapeGroup(List<Episode> group) {
      List<SpanScorer.Request> items = new ArrayList<>();
      List<List<RewardContribution>> out = new ArrayList<>();
      List<int[]> where = new ArrayList<>(); // {episode, first item}
      for (int e = 0; e < group.size(); e++) {
        out.add(new ArrayList<>());
        Episode ep = group.get(e);
        List<Turn> turns = ep.turns();
        if (turns.isEmpty()) {
          continue;
        }
        String gold = gold(ep, field, signal);
        if (gold == null || scorer.tokenizer().encode(gold).length == 0) {
          out.get(e).add(RewardContribution.failed(turns.size() - 1, "gain", signal != null
              ? "the episode has no (non-empty) gold answer signal '" + signal.name() + "'"
              : "the task has no (non-empty) gold answer field '" + field + "'"));
          continue;
        }
        where.add(new int[] {e, items.size()});
        List<Message> so = new ArrayList<>(ep.start());
        items.add(new SpanScorer.AssistantSpan(so, pseudo, gold));
        for (Turn turn : turns) {
          so.add(turn.action());
          so.addAll(turn.observation());
          items.add(new SpanScorer.AssistantSpan(so, pseudo, gold));
        }
      }
      return batcher.submitAll(items).thenApply(lp -> {
        for (int[] w : where) {
          int n = group.get(w[0]).turns().size();
          for (int t = 0; t < n; t++) {
            double gain = Math.exp(lp.get(w[1] + t + 1)) - Math.exp(lp.get(w[1] + t));
            out.get(w[0]).add(new RewardContribution(t, "gain", gain));
          }
        }
        return out;
      });
    }
  }
}
