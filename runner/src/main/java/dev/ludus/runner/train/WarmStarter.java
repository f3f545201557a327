package dev.ludus.runner.train;

import dev.ludus.agents.djl.DjlLmAgent;
import dev.ludus.api.Agent;
import dev.ludus.api.Episode;
import dev.ludus.runner.learn.Demonstration;
import dev.ludus.runner.learn.ImitationStats;
import dev.ludus.runner.learn.PolicyLearner;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The warm start before RL: the oracle plays {@code warmStartEpisodes} episodes, its turns become demonstrations
 * (see {@link TeacherAgent}), and {@link PolicyLearner#imitate} steps on them until their token accuracy reaches
 * {@code warmStartAccuracy} (and the loss {@code warmStartLoss}, when set) or {@code warmStartSteps} steps were taken.
 * Then, up to {@code warmStartMaxEpisodes}, it plays as many fresh oracle episodes again (other tasks) and measures
 * the fitted policy on them without a step (held-out imitation, {@link PolicyLearner#measureImitation}): if it does
 * not yet predict their tokens ({@code warmStartAccuracy}, 1 when 0) they join the demonstrations and it fits again;
 * if it does, more of them would teach nothing and it stops. Each round's fit takes at most {@code warmStartSteps}.
 * Where every task opens alike (the Mastermind plugin) 32 episodes fit by heart reached 0.43 of held-out games and
 * 128 reached 0.91, while guess-number's 32 already cover its few paths (issue 19).
 * With {@code warmStartBatch} N above 0 and at most half the demonstrations' count, each step imitates a seeded draw of N
 * of them instead of all (shuffled epochs, {@link Draws}: every demonstration once per epoch), and the stop test is
 * measured on all of them without a step once per epoch (and when the step limit ends an epoch early); there the fit
 * also stops at a plateau ({@link Plateau}: no 1% gain of the loss in 5 epochs), since a draw's noise keeps a few
 * tokens flipping and the accuracy test rarely passes. Not on the loss alone: on frozen-lake (seed 1) a fit stopped
 * at loss 0.077 with token accuracy 0.972 held out 0.813, against 0.906 after the 400 steps and 0.914 with the
 * full batch. {@code warmStartSteps} still counts optimizer steps. 0 steps on every demonstration each time (the
 * recipe's is 64).
 * With {@code warmStartDraws: episodes} a draw takes whole demonstrated conversations ({@link #conversations}) instead,
 * {@code ceil(demonstrations / warmStartBatch)} draws an epoch as before: where the context is long, a draw of any 64
 * turns touches about 50 conversations, each a packed row of its history, while the same turns as whole
 * conversations are about 13 rows (tutoring: 632 demonstrations of 128 episodes).
 * With {@code warmStartNoise} above 0 the oracle's episodes are DART's ({@link TeacherAgent}): a share of their turns
 * is the random agent's, each turn still demonstrated with the oracle's action.
 * With {@code warmStartSchedule: cosine} each fit's k-th step imitates at {@link Rule#rate}: a linear warm-up, then a
 * cosine decay to a tenth of {@code learner.imitationLearningRate} at its {@code warmStartSteps}-th step.
 * With PPO-ptx the learner keeps the demonstrations to go on imitating them during RL. Stateless.
 */
final class WarmStarter {
  private WarmStarter() {}

  /** Runs the warm start on {@code policy}; what it reached, or null when the oracle gave no demonstrations. */
  static Trainer.WarmStart run(TrainConfig config, Resolved r, Rollouts rollouts, DjlLmAgent policy,
      PolicyLearner learner, String runId, PrintWriter out) throws InterruptedException {
    long seed = config.seed() + 7 * Rollouts.EVAL_SEED_OFFSET;
    List<Demonstration> demos = new ArrayList<>(play(config, r, rollouts, policy, runId + "-warm",
        config.warmStartEpisodes(), seed, out));
    if (demos.isEmpty()) {
      out.println("warm start: the oracle's turns gave no demonstrations; skipped");
      return null;
    }
    int episodes = config.warmStartEpisodes();
    Rule rule = Rule.of(config);
    Random draws = new Random(seed); // the warmStartBatch draws
    Fit fit = fit(rule, learner, demos, 0, null, draws);
    print(out, demos.size(), episodes, fit, rule);
    // more oracle episodes while the fitted policy cannot yet predict fresh ones (held-out imitation)
    double enough = config.warmStartAccuracy() > 0 ? config.warmStartAccuracy() : 1.0;
    for (int round = 1; episodes < config.warmStartMaxEpisodes(); round++) {
      int more = Math.min(episodes, config.warmStartMaxEpisodes() - episodes);
      List<Demonstration> fresh = play(config, r, rollouts, policy, runId + "-warm" + round, more, seed + round, out);
      if (fresh.isEmpty()) {
        break;
      }
      ImitationStats heldOut = learner.measureImitation(fresh);
      boolean predicted = heldOut.tokenAccuracy() >= enough;
      out.printf(Locale.ROOT, "warm start: %d fresh oracle episodes, token accuracy %.3f (loss %.3f)%s%n", more,
          heldOut.tokenAccuracy(), heldOut.loss(), predicted ? String.format(Locale.ROOT,
              " >= %.3f: the fitted policy predicts them; no more", enough) : ": added, and fitted again");
      if (predicted) {
        break;
      }
      demos.addAll(fresh);
      episodes += more;
      fit = fit(rule, learner, demos, fit.steps, fit.first, draws);
      print(out, demos.size(), episodes, fit, rule);
    }
    Trainer.WarmStart reached = new Trainer.WarmStart(demos.size(), fit.steps, fit.last.loss(),
        fit.last.tokenAccuracy(), fit.last.entropy());
    if (learner.config().usesPtx()) {
      learner.setDemonstrations(demos); // PPO-ptx: RL keeps imitating them
    }
    out.flush();
    return reached;
  }

  /**
   * The imitation steps so far (all rounds), the first and last step's figures, why the last fit stopped and how many
   * units its draws took from (demonstrations, or whole conversations with {@code warmStartDraws: episodes}).
   */
  record Fit(int steps, ImitationStats first, ImitationStats last, String stopped, int units) {
    /** A fit on every demonstration at once (no draws, so no units). */
    Fit(int steps, ImitationStats first, ImitationStats last, String stopped) {
      this(steps, first, last, stopped, 0);
    }
  }

  /**
   * When a fit stops: at most {@code maxSteps} optimizer steps, or once the token accuracy reaches {@code accuracy}
   * (when above 0) and the loss is at most {@code loss} (when above 0); {@code batch} demonstrations a step (0: all).
   */
  record Rule(int maxSteps, double accuracy, double loss, int batch, boolean cosine, boolean episodes) {
    /** The share of {@code maxSteps} over which a cosine schedule warms up. */
    static final double WARMUP = 0.05;
    /** The share of the rate a cosine schedule ends at. */
    static final double FINAL = 0.1;

    /** A rule at a constant rate. */
    Rule(int maxSteps, double accuracy, double loss, int batch) {
      this(maxSteps, accuracy, loss, batch, false);
    }

    /** A rule whose draws are of any demonstrations. */
    Rule(int maxSteps, double accuracy, double loss, int batch, boolean cosine) {
      this(maxSteps, accuracy, loss, batch, cosine, false);
    }

    static Rule of(TrainConfig config) {
      return new Rule(config.warmStartSteps(), config.warmStartAccuracy(), config.warmStartLoss(),
          config.warmStartBatch(), config.warmStartSchedule().equals(TrainConfig.COSINE),
          config.warmStartDraws().equals(TrainConfig.EPISODES));
    }

    /**
     * The learning rate of a fit's step {@code k} (0 first) at the base rate {@code base}: {@code base} at a constant
     * rate; with the cosine schedule {@code base * (k + 1) / w} over the first {@code w = ceil(}{@value #WARMUP}
     * {@code * maxSteps)} steps, then {@code base * (f + (1 - f) * (1 + cos(pi * t)) / 2)} with {@code f = }
     * {@value #FINAL} and {@code t} going from 0 at step {@code w} to 1 at the last step ({@code maxSteps - 1}).
     */
    double rate(int k, double base) {
      if (!cosine) {
        return base;
      }
      int warmup = (int) Math.ceil(WARMUP * maxSteps);
      if (k < warmup) {
        return base * (k + 1) / warmup;
      }
      int decay = maxSteps - 1 - warmup;
      double t = decay <= 0 ? 1 : Math.min(1.0, (double) (k - warmup) / decay);
      return base * (FINAL + (1 - FINAL) * 0.5 * (1 + Math.cos(Math.PI * t)));
    }

    /**
     * Whether a fit on {@code demonstrations} steps on draws: with a batch above 0 and at least two full draws in an
     * epoch. A draw of more than half the demonstrations saves little a step, while its noise costs the fit: on the
     * main job (87 demonstrations, draws of 43 and 44) a fit on draws stopped at token accuracy 0.989, fresh oracle
     * episodes were mispredicted, the warm start grew to 344 demonstrations for no less CPU, and RL's PPO-ptx term
     * read four times the rows.
     */
    boolean draws(int demonstrations) {
      return batch > 0 && 2L * batch <= demonstrations;
    }

    boolean fitted(ImitationStats s) {
      return stops() && s.tokenAccuracy() >= accuracy && (loss <= 0 || s.loss() <= loss);
    }

    String why(ImitationStats s) {
      return String.format(Locale.ROOT, "fitted: token accuracy %.3f >= %.3f", s.tokenAccuracy(), accuracy)
          + (loss > 0 ? String.format(Locale.ROOT, ", loss %.3f <= %.3f", s.loss(), loss) : "");
    }

    /** Whether a fit stops before its step limit at all (accuracy 0 runs exactly {@code maxSteps}). */
    boolean stops() {
      return accuracy > 0;
    }
  }

  /**
   * The plateau test of a fit on draws: the loss on all demonstrations, measured once per epoch, has not gone below
   * {@code 1 - }{@value #MIN_GAIN} of its best for {@value #EPOCHS} epochs in a row, so more epochs would only spend
   * steps at the draws' noise floor.
   */
  static final class Plateau {
    /** Epochs without a gain after which a fit on draws stops. */
    static final int EPOCHS = 5;
    /** The relative fall of the best loss that counts as a gain. */
    static final double MIN_GAIN = 0.01;
    private double best = Double.POSITIVE_INFINITY;
    private int since;

    /** Takes an epoch's loss on all demonstrations; whether the fit has now plateaued. */
    boolean reached(double loss) {
      if (loss < best * (1 - MIN_GAIN)) {
        best = loss;
        since = 0;
        return false;
      }
      best = Math.min(best, loss);
      return ++since >= EPOCHS;
    }

    String why() {
      return String.format(Locale.ROOT, "a plateau: the loss did not fall %.0f%% below its best (%.3f) in %d epochs",
          100 * MIN_GAIN, best, EPOCHS);
    }
  }

  /**
   * Imitates {@code demos} until fitted or {@code rule.maxSteps()} more steps ({@code stepsBefore} were taken). With
   * a batch of at most half the demonstrations ({@link Rule#draws}), each step imitates a draw from {@code rng}
   * ({@link Draws}) and the fitted test, and the last figures, are measured on all demonstrations at the end of each
   * epoch.
   */
  static Fit fit(Rule rule, PolicyLearner learner, List<Demonstration> demos, int stepsBefore, ImitationStats first,
      Random rng) {
    ImitationStats last = null;
    int steps = stepsBefore;
    double base = learner.config().imitationLearningRate();
    String stopped = "the step limit (" + rule.maxSteps() + ")";
    if (!rule.draws(demos.size())) {
      while (steps - stepsBefore < rule.maxSteps()) {
        last = learner.imitate(demos, rule.rate(steps - stepsBefore, base));
        steps++;
        first = first == null ? last : first;
        if (rule.fitted(last)) {
          stopped = rule.why(last);
          break;
        }
      }
      return new Fit(steps, first, last, stopped);
    }
    // concurrent oracle episodes record their turns in any order: draw from a canonical one, so the seed decides
    List<Demonstration> ordered = canonical(demos);
    // the units a draw takes: each demonstration, or each demonstrated conversation (its turns, in order)
    List<int[]> units = rule.episodes() ? conversations(ordered) : singles(ordered.size());
    Draws draws = new Draws(units.size(), rule.batch(), demos.size(), rng);
    boolean measured = false;
    Plateau plateau = new Plateau();
    while (steps - stepsBefore < rule.maxSteps()) {
      List<Demonstration> drawn = new ArrayList<>();
      for (int u : draws.next()) {
        for (int i : units.get(u)) {
          drawn.add(ordered.get(i));
        }
      }
      ImitationStats step = learner.imitate(drawn, rule.rate(steps - stepsBefore, base));
      steps++;
      first = first == null ? step : first;
      measured = false;
      if (draws.epochEnded()) {
        last = learner.measureImitation(demos);
        measured = true;
        String why = rule.fitted(last) ? rule.why(last)
            : rule.stops() && plateau.reached(last.loss()) ? plateau.why() : null;
        if (why != null) {
          stopped = why + String.format(Locale.ROOT, " on all %d after %d epochs of draws of %d", demos.size(),
              draws.epochs(), rule.batch());
          break;
        }
      }
    }
    if (!measured) {
      last = learner.measureImitation(demos);
    }
    return new Fit(steps, first, last, stopped, units.size());
  }

  /** Each of {@code n} demonstrations a unit of its own. */
  private static List<int[]> singles(int n) {
    return java.util.stream.IntStream.range(0, n).mapToObj(i -> new int[] {i}).toList();
  }

  /**
   * The conversations of {@code ordered} (in {@link #canonical} order): runs of demonstrations each of whose prompt
   * begins with the previous one's prompt and target, as one demonstrated episode's turns do (and as
   * {@code PackedSample.pack} puts them in one row); indices into {@code ordered}, in order.
   */
  static List<int[]> conversations(List<Demonstration> ordered) {
    List<int[]> out = new ArrayList<>();
    List<Integer> current = new ArrayList<>();
    int[] end = null;
    for (int i = 0; i < ordered.size(); i++) {
      Demonstration d = ordered.get(i);
      int[] prompt = d.promptIds();
      if (end == null || prompt.length < end.length
          || !Arrays.equals(prompt, 0, end.length, end, 0, end.length)) {
        if (!current.isEmpty()) {
          out.add(current.stream().mapToInt(Integer::intValue).toArray());
          current.clear();
        }
      }
      current.add(i);
      int[] target = d.targetIds();
      end = Arrays.copyOf(prompt, prompt.length + target.length);
      System.arraycopy(target, 0, end, prompt.length, target.length);
    }
    if (!current.isEmpty()) {
      out.add(current.stream().mapToInt(Integer::intValue).toArray());
    }
    return out;
  }

  /** {@code demos} by prompt, then target, ids (lexicographic): one episode's turns follow one another. */
  static List<Demonstration> canonical(List<Demonstration> demos) {
    List<Demonstration> out = new ArrayList<>(demos);
    out.sort((a, b) -> {
      int c = Arrays.compare(a.promptIds(), b.promptIds());
      return c != 0 ? c : Arrays.compare(a.targetIds(), b.targetIds());
    });
    return out;
  }

  /**
   * Seeded draws of at most {@code batch} of {@code size} indices in shuffled epochs: each epoch is a fresh
   * permutation cut into {@code ceil(size / batch)} draws of near-equal size, so every index is drawn exactly once per
   * epoch. Each draw is in ascending order.
   */
  static final class Draws {
    private final int size;
    private final int perEpoch;
    private final Random rng;
    private final List<Integer> order;
    private int next;
    private int epochs;

    Draws(int size, int batch, Random rng) {
      this(size, batch, size, rng);
    }

    /**
     * Draws of {@code size} units (whole conversations) holding {@code demonstrations} demonstrations in all:
     * {@code ceil(demonstrations / batch)} draws an epoch (at most {@code size}), so that a draw holds about
     * {@code batch} demonstrations on average; with one demonstration a unit these are the draws above.
     */
    Draws(int size, int batch, int demonstrations, Random rng) {
      if (size < 1 || batch < 1) {
        throw new IllegalArgumentException("draws need at least one index and a batch of at least 1, were " + size
            + " and " + batch);
      }
      this.size = size;
      this.perEpoch = Math.min(size, (Math.max(size, demonstrations) + batch - 1) / batch);
      this.rng = rng;
      this.order = new ArrayList<>(java.util.stream.IntStream.range(0, size).boxed().toList());
      this.next = perEpoch;
    }

    /** The next draw's indices, ascending. */
    List<Integer> next() {
      if (next == perEpoch) {
        Collections.sort(order); // each epoch shuffles 0..size-1 afresh (the draws the README's figures used)
        Collections.shuffle(order, rng);
        next = 0;
      }
      int from = (int) ((long) next * size / perEpoch);
      int to = (int) ((long) (next + 1) * size / perEpoch);
      next++;
      if (next == perEpoch) {
        epochs++;
      }
      List<Integer> draw = new ArrayList<>(order.subList(from, to));
      Collections.sort(draw);
      return draw;
    }

    /** Whether the last draw was an epoch's last. */
    boolean epochEnded() {
      return next == perEpoch;
    }

    /** Epochs completed. */
    int epochs() {
      return epochs;
    }

    /** Draws per epoch. */
    int perEpoch() {
      return perEpoch;
    }
  }

  /** The demonstrations of {@code episodes} oracle episodes from {@code seed}. */
  private static List<Demonstration> play(TrainConfig config, Resolved r, Rollouts rollouts, DjlLmAgent policy,
      String runId, int episodes, long seed, PrintWriter out) throws InterruptedException {
    double noise = config.warmStartNoise();
    try (Agent oracle = r.env().oracle().orElseThrow(); Agent random = noise > 0 ? r.env().randomAgent() : null) {
      TeacherAgent teacher = new TeacherAgent(oracle, policy, config.warmStartTarget().equals(TrainConfig.MESSAGE),
          noise, random);
      List<Episode> played = rollouts.unscored(teacher, runId, episodes, seed);
      Set<String> failed = played.stream().filter(e -> !e.success()).map(Episode::id)
          .collect(Collectors.toSet());
      List<Demonstration> kept = teacher.demonstrations(failed);
      if (noise > 0) {
        List<TeacherAgent.Recorded> all = teacher.recorded();
        out.printf(Locale.ROOT, "warm start: DART noise %.2f: %d of %d oracle episodes won; %d of %d demonstrations "
            + "after a non-oracle move, %d of them dropped (their episode failed)%n", noise,
            played.size() - failed.size(), played.size(), all.stream().filter(TeacherAgent.Recorded::afterNoise).count(),
            all.size(), all.size() - kept.size());
      }
      return kept;
    }
  }

  private static void print(PrintWriter out, int demonstrations, int episodes, Fit fit, Rule rule) {
    String whole = rule.episodes() && rule.draws(demonstrations) ? String.format(Locale.ROOT,
        " of whole conversations (%d in all)", fit.units()) : "";
    out.printf(Locale.ROOT, "warm start: %d demonstrations from %d oracle episodes, %d imitation steps%s (stopped at %s), "
        + "loss %.3f -> %.3f, token accuracy %.3f -> %.3f, entropy %.3f -> %.3f%n", demonstrations, episodes,
        fit.steps, (rule.draws(demonstrations) ? " on draws of " + rule.batch() + whole
            + " (first figures on a draw, last on all)" : "") + (rule.cosine() ? " at a cosine rate" : ""),
        fit.stopped, fit.first.loss(), fit.last.loss(), fit.first.tokenAccuracy(), fit.last.tokenAccuracy(),
        fit.first.entropy(), fit.last.entropy());
    out.flush();
  }
}
