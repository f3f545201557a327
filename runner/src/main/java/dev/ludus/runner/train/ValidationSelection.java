package dev.ludus.runner.train;

import ai.djl.nn.ParameterList;
import dev.ludus.agents.djl.TrainablePolicy;
import dev.ludus.api.Agent;
import dev.ludus.api.Episode;
import dev.ludus.api.Message;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * Model selection on a validation split ({@code validateEvery}): the greedy policy plays {@code evalEpisodes} episodes
 * on validation seeds (apart from the held-out evaluation's, the warm start's and the training iterations') after the
 * warm start and every {@code validateEvery} iterations; the weights that did best there are kept in memory and put
 * back at the end of RL, so a run ends with RL's best weights on the validation split, the warm start's when no RL
 * iteration beat them. "Beat" is a paired test, not a higher share: every validation plays the same tasks (the same
 * seeds), so new weights replace the kept ones only when the tasks they win and the kept ones lose ({@code b})
 * outnumber the reverse ({@code c}) by more than one standard error of that difference under no change,
 * {@code b - c > sqrt(b + c)} (McNemar's statistic above 1). A tie keeps the earlier weights (RL must beat the warm
 * start, not match it), and so does a gain of a task or two among as many losses: on frozen-lake seed 2 the weights
 * after 10 iterations validated 0.938 against the warm start's 0.930, one episode of 128, were kept, and held out
 * 0.859 against the warm start's 0.906. The held-out evaluation never takes part in the choice. Early stopping as
 * supervised learning does it; its cost is the validation episodes. Where the environment declares validation tasks
 * ({@link dev.ludus.api.EnvironmentProvider#validation}: text-to-sql's and search-qa's validation split beside
 * {@code split: train}), the episodes play them ({@link Rollouts#validation}): tasks drawn as the held-out ones are,
 * which training never plays, so the choice sees what only unseen tasks show (on text-to-sql seed 2 a validation on
 * the training questions rose from 0.727 to 0.789 over 10 RL iterations, won 13 and lost 5, and the weights it kept
 * held out 0.039 against the warm start's 0.109). Such a split is a finite pool (text-to-sql's 28 validation
 * questions at 20 a kind), which 128 seeds draw several times each, so its tasks are paired by their opening and each
 * counts once: copies of one question won are not several wins. Elsewhere they play the training configuration with other seeds:
 * tasks generated from their seed, though a small task space (the Mastermind plugin's 64 codes) puts the same tasks in
 * both splits. A resumed run chooses among the weights it sees after its resume. Not thread-safe: the training
 * loop's.
 */
final class ValidationSelection {
  /** Seeds of the validation episodes: apart from the held-out (1x), warm start (7x) and training seeds. */
  static final long VALIDATION_SEED_OFFSET = 3 * Rollouts.EVAL_SEED_OFFSET;

  private final TrainConfig config;
  private final Rollouts rollouts;
  private final Agent evaluator;
  private final TrainablePolicy policy;
  private final PrintWriter out;
  private int bestIteration = -1;
  private float[][] bestWeights;
  private Map<String, Boolean> bestOutcomes = Map.of();
  private Comparison lastComparison;
  private double last = -1;
  private int lastIteration = -1;
  private long nanos;
  private final String plays;
  private final boolean byOpening;
  private boolean described;
  private int lastTasks;

  /**
   * @param evaluator the greedy agent that shares {@code policy}'s weights
   * @param plays what the validation episodes play ({@link Rollouts#validationPlays}), for the log
   * @param byOpening whether they play a validation split the environment declares, whose tasks are told apart by
   *     their opening ({@link #outcomes})
   */
  ValidationSelection(TrainConfig config, Rollouts rollouts, Agent evaluator, TrainablePolicy policy,
      PrintWriter out, String plays, boolean byOpening) {
    this.plays = plays;
    this.byOpening = byOpening;
    this.config = config;
    this.rollouts = rollouts;
    this.evaluator = evaluator;
    this.policy = policy;
    this.out = out;
  }

  /** Whether the policy is validated after iteration {@code it} (0-based; the warm start is before iteration 0). */
  boolean due(int it) {
    return (it + 1) % config.validateEvery() == 0 || it + 1 == config.iterations();
  }

  /**
   * Validates the weights the policy has after {@code iterations} RL iterations (0: the warm start's) and keeps
   * them if they beat the kept ones ({@link #offer}).
   */
  void validate(String runId, int iterations) throws InterruptedException {
    if (!described) {
      described = true;
      out.println("validation plays " + plays + ", " + config.evalEpisodes() + " episodes a check" + (byOpening
          ? "; a task drawn by several of them (the same opening) counts once" : ""));
    }
    long started = System.nanoTime();
    boolean kept = offer(iterations, play(runId, iterations));
    nanos += System.nanoTime() - started;
    out.printf(Locale.ROOT, "validation after %d iterations: %.3f%s%s%n", iterations, last,
        byOpening ? " of " + lastTasks + " tasks" : "",
        kept ? " (best so far: kept" + against() + ")" : String.format(Locale.ROOT, " (best %.3f after %d iterations%s)",
            best(), bestIteration, against()));
    out.flush();
  }

  /**
   * Validates the weights the policy has after {@code iterations} RL iterations off schedule (the training loop asks
   * when the greedy policy has failed no training task for a while) and keeps them only if the validation is perfect,
   * which ends RL ({@link #atCeiling}); weights that fall short are not offered, so a probe that does not end RL
   * changes nothing the run ends with. Whether it was perfect.
   */
  boolean probeCeiling(String runId, int iterations) throws InterruptedException {
    long started = System.nanoTime();
    Map<String, Boolean> outcomes = play(runId, iterations);
    boolean perfect = offerIfPerfect(iterations, outcomes);
    nanos += System.nanoTime() - started;
    out.printf(Locale.ROOT, "validation after %d iterations (off schedule, for the ceiling): %.3f%s%n", iterations,
        share(outcomes), perfect ? " (best so far: kept)" : share(outcomes) >= 1.0
            ? " (perfect, not kept" + against() + ")" : " (not offered: only a perfect one ends RL)");
    out.flush();
    return perfect;
  }

  /**
   * {@link #offer}s the weights after {@code iterations} only if every validation episode succeeded; whether they were
   * kept (a perfect validation must still beat the kept weights by the paired test).
   */
  boolean offerIfPerfect(int iterations, Map<String, Boolean> outcomes) {
    return share(outcomes) >= 1.0 && offer(iterations, outcomes);
  }

  /** Whether each validation task succeeded ({@link #outcomes}). */
  private Map<String, Boolean> play(String runId, int iterations) throws InterruptedException {
    return outcomes(rollouts.validation(evaluator, runId + "-val" + iterations, config.evalEpisodes(),
        config.seed() + VALIDATION_SEED_OFFSET), byOpening);
  }

  /**
   * Whether each task of {@code played} succeeded, by task: {@link #opening} with {@code byOpening} (a declared
   * validation split, a finite pool whose seeds draw some questions more than once: each counts once, as the first of
   * its episodes did, so that the paired test compares distinct questions, not copies of one), else {@link #task}.
   */
  static Map<String, Boolean> outcomes(List<Episode> played, boolean byOpening) {
    Map<String, Boolean> outcomes = new LinkedHashMap<>();
    for (Episode e : played) {
      outcomes.putIfAbsent(byOpening ? opening(e) : task(e), e.success());
    }
    return outcomes;
  }

  /** What pairs an episode with the same task's in another validation: its seed, and its seat in a match. */
  static String task(Episode e) {
    return e.seed() + (e.seat() == null ? "" : "@" + e.seat());
  }

  /**
   * What pairs an episode of a declared validation split with the same task's: its opening observation (a pool's
   * question: the episodes that open alike ask the same), and its seat in a match.
   */
  static String opening(Episode e) {
    StringBuilder key = new StringBuilder();
    for (Message m : e.start()) {
      key.append(m.role()).append('\u0000').append(m.content()).append('\u0001');
    }
    return key + (e.seat() == null ? "" : "@" + e.seat());
  }

  /** The share of {@code outcomes} that succeeded (0 when there are none). */
  static double share(Map<String, Boolean> outcomes) {
    return outcomes.isEmpty() ? 0 : outcomes.values().stream().filter(b -> b).count() / (double) outcomes.size();
  }

  /**
   * Takes the validation outcomes of the policy's current weights after {@code iterations}, by task: they are kept
   * (copied) when they are the first, or {@linkplain Comparison#beats beat} the kept ones on the tasks both played.
   * Whether they were.
   */
  boolean offer(int iterations, Map<String, Boolean> outcomes) {
    last = share(outcomes);
    lastTasks = outcomes.size();
    lastIteration = iterations;
    lastComparison = bestWeights == null ? null : Comparison.of(outcomes, bestOutcomes);
    if (lastComparison != null && !lastComparison.beats()) {
      return false;
    }
    bestIteration = iterations;
    bestWeights = weights(policy);
    bestOutcomes = Map.copyOf(outcomes);
    return true;
  }

  /** The last comparison with the kept weights, for the log: empty before there was one. */
  private String against() {
    Comparison c = lastComparison;
    return c == null ? "" : String.format(Locale.ROOT, "; against the kept weights: won %d, lost %d of the same tasks%s",
        c.won(), c.lost(), c.beats() || c.won() <= c.lost() ? "" : ": a gain within the noise");
  }

  /**
   * New weights' validation against the kept weights' on the tasks both played: {@code won} is the tasks only the new
   * weights won, {@code lost} those only the kept ones won (McNemar's discordant pairs).
   */
  record Comparison(int won, int lost) {
    static Comparison of(Map<String, Boolean> now, Map<String, Boolean> kept) {
      int won = 0;
      int lost = 0;
      for (Map.Entry<String, Boolean> e : now.entrySet()) {
        Boolean before = kept.get(e.getKey());
        if (before != null && before != e.getValue().booleanValue()) {
          if (e.getValue()) {
            won++;
          } else {
            lost++;
          }
        }
      }
      return new Comparison(won, lost);
    }

    /**
     * Whether the new weights beat the kept ones beyond the validation's noise: {@code won - lost > sqrt(won + lost)},
     * one standard error of the difference were the weights equally good (so a tie, or a single task's gain, is not).
     */
    boolean beats() {
      return won - lost > Math.sqrt(won + lost);
    }
  }

  /**
   * Puts the best validated weights back when they are not the policy's last (a new policy version); says what it
   * did. Does nothing before any validation.
   */
  void restoreBest() {
    if (bestWeights == null) {
      return;
    }
    if (bestIteration != lastIteration) {
      setWeights(policy, bestWeights);
      out.printf(Locale.ROOT, "validation: the weights after %d iterations (%.3f) put back; the last iteration's did "
          + "%.3f (%.1f s of validation)%n", bestIteration, best(), last, nanos / 1e9);
    } else {
      out.printf(Locale.ROOT, "validation: the last weights kept (%.3f, the best; %.1f s of validation)%n", last,
          nanos / 1e9);
    }
    out.flush();
  }

  /**
   * Whether the best validation so far is perfect (every validation episode succeeded): then, a tie keeping the
   * earlier weights, no later weights can be kept, and more RL cannot change the weights the run ends with.
   */
  boolean atCeiling() {
    return best() >= 1.0;
  }

  /** The kept weights' validation success (0 before any). */
  private double best() {
    return share(bestOutcomes);
  }

  /** The iterations after which the kept weights were validated (0: the warm start's), or -1 before any. */
  int bestIteration() {
    return bestIteration;
  }

  /** Every parameter's values, in the policy's order. */
  static float[][] weights(TrainablePolicy policy) {
    ParameterList params = policy.parameters();
    float[][] out = new float[params.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = params.valueAt(i).getArray().toFloatArray();
    }
    return out;
  }

  /** Sets every parameter to {@code values} under the policy's write lock (its version goes up by one). */
  static void setWeights(TrainablePolicy policy, float[][] values) {
    policy.update(() -> {
      ParameterList params = policy.parameters();
      for (int i = 0; i < values.length; i++) {
        params.valueAt(i).getArray().set(values[i]);
      }
    });
  }
}
