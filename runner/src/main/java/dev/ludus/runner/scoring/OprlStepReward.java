package dev.ludus.runner.scoring;

import dev.ludus.agents.djl.LanguageModel;
import dev.ludus.agents.djl.LmTokenizer;
import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.runner.learn.LearnerConfig;
import dev.ludus.runner.learn.PolicyLearner;
import dev.ludus.runner.learn.PreferenceLoss;
import dev.ludus.runner.learn.PreferencePair;
import dev.ludus.runner.learn.PreferenceStats;
import dev.ludus.runner.learn.Sample;
import java.util.ArrayList;
import java.util.List;

/**
 * OPRL's step reward model (catalog A6) and its trajectory-DPO trainer (C2): a PRM {@code π_φ} and the snapshot
 * {@code π_old} it is measured against, both loaded from one checkpoint; each turn's reward is
 * {@code β·[log π_φ(a_t | x, o_{1:t}) − log π_old(a_t | x, o_{1:t})]} over the turn's action tokens, and after a batch
 * is scored {@code π_φ} takes one DPO step on the trajectory pairs of each group (τ⁺ over τ⁻ when the environment
 * returned more for τ⁺; ties and failed episodes skipped) with {@code π_old} as the reference:
 * {@code L = −log σ(β[log π_φ(τ⁺) − log π_old(τ⁺)] − β[log π_φ(τ⁻) − log π_old(τ⁻)])}, the log-probabilities summed
 * over agent tokens only ({@link PolicyLearner#preferenceStep}). {@code π_old} stays the loaded checkpoint: a shaper
 * does not see the live policy, so it is not refreshed with each policy update as OPRL's is.
 *
 * <p>Rows are those of {@link ImplicitPrm#rows}. Thread-safety: none; runs on one batcher's worker. Life-cycle: owns both
 * models and the tokenizer.
 */
final class OprlStepReward implements AutoCloseable {
  /**
   * What a batch gave.
   *
   * @param rewards per group, per episode, per turn
   * @param step the DPO step's statistics (measured before it), or null when the batch had no pair
   */
  record Scores(List<List<double[]>> rewards, PreferenceStats step) {}

  private final LanguageModel prm;
  private final LanguageModel old;
  private final LmTokenizer tokenizer;
  private final double beta;
  private final PolicyLearner learner;

  OprlStepReward(LanguageModel prm, LanguageModel old, LmTokenizer tokenizer, double beta, double learningRate,
      boolean update) {
    this.prm = prm;
    this.old = old;
    this.tokenizer = tokenizer;
    this.beta = beta;
    this.learner = update ? new PolicyLearner(prm, old, LearnerConfig.defaults().withLearningRate(learningRate))
        : null;
  }

  LanguageModel prm() {
    return prm;
  }

  LanguageModel old() {
    return old;
  }

  List<ImplicitPrm.Row> rows(Episode e) {
    return ImplicitPrm.rows(e, tokenizer, prm.spec().context());
  }

  /** Scores every turn of {@code groups}, then takes one DPO step on their pairs (when updating and there are any). */
  Scores score(List<List<Episode>> groups) {
    List<ImplicitPrm.Row> rows = new ArrayList<>();
    List<int[]> at = new ArrayList<>();
    List<List<double[]>> rewards = new ArrayList<>();
    for (int g = 0; g < groups.size(); g++) {
      List<double[]> out = new ArrayList<>();
      for (int e = 0; e < groups.get(g).size(); e++) {
        Episode ep = groups.get(g).get(e);
        out.add(new double[ep.status() == EpisodeStatus.FAILED ? 0 : ep.turns().size()]);
        if (ep.status() == EpisodeStatus.FAILED) {
          continue;
        }
        List<ImplicitPrm.Row> r = rows(ep);
        for (int t = 0; t < r.size(); t++) {
          if (r.get(t) != null) {
            rows.add(r.get(t));
            at.add(new int[] {g, e, t});
          }
        }
      }
      rewards.add(out);
    }
    if (!rows.isEmpty()) {
      List<int[]> prompts = rows.stream().map(ImplicitPrm.Row::prompt).toList();
      List<int[]> outputs = rows.stream().map(ImplicitPrm.Row::output).toList();
      float[][] phi = prm.logProbs(prompts, outputs);
      float[][] ref = old.logProbs(prompts, outputs);
      for (int i = 0; i < rows.size(); i++) {
        double d = 0;
        for (int j = 0; j < phi[i].length; j++) {
          d += phi[i][j] - ref[i][j];
        }
        int[] w = at.get(i);
        rewards.get(w[0]).get(w[1])[w[2]] = beta * d;
      }
    }
    PreferenceStats step = null;
    if (learner != null) {
      List<PreferencePair> pairs = pairs(groups);
      if (!pairs.isEmpty()) {
        step = learner.preferenceStep(pairs, PreferenceLoss.DPO, beta);
      }
    }
    return new Scores(rewards, step);
  }

  /** The trajectory pairs of every group: every two episodes whose environment returns differ, the higher chosen. */
  List<PreferencePair> pairs(List<List<Episode>> groups) {
    List<PreferencePair> out = new ArrayList<>();
    for (List<Episode> group : groups) {
      List<Episode> usable = new ArrayList<>();
      List<List<Sample>> samples = new ArrayList<>();
      for (Episode e : group) {
        List<Sample> s = samples(e);
        if (e.status() != EpisodeStatus.FAILED && !s.isEmpty()) {
          usable.add(e);
          samples.add(s);
        }
      }
      for (int i = 0; i < usable.size(); i++) {
        for (int j = i + 1; j < usable.size(); j++) {
          double ri = usable.get(i).totalReward();
          double rj = usable.get(j).totalReward();
          if (Math.abs(ri - rj) > 1e-9) {
            out.add(ri > rj ? new PreferencePair(samples.get(i), samples.get(j))
                : new PreferencePair(samples.get(j), samples.get(i)));
          }
        }
      }
    }
    return out;
  }

  private List<Sample> samples(Episode e) {
    List<Sample> out = new ArrayList<>();
    for (ImplicitPrm.Row r : rows(e)) {
      if (r != null) {
        int n = r.output().length;
        out.add(new Sample(r.prompt(), r.output(), new float[n], new float[n], null, -1));
      }
    }
    return out;
  }

  @Override
  public void close() {
    try {
      if (learner != null) {
        learner.close();
      }
    } finally {
      try {
        prm.close();
      } finally {
        try {
          old.close();
        } finally {
          tokenizer.close();
        }
      }
    }
  }
}
