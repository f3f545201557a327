package dev.ludus.runner.train;

import dev.ludus.agents.djl.DjlLmAgent;
import dev.ludus.agents.djl.DjlLmAgentProvider;
import dev.ludus.api.Agent;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.Episode;
import dev.ludus.api.Seeds;
import dev.ludus.runner.cluster.PolicyPublisher;
import dev.ludus.runner.runtime.EpisodeListener;
import dev.ludus.runner.runtime.EpisodeRuntime;
import dev.ludus.runner.runtime.EpisodeSink;
import dev.ludus.runner.runtime.MatchPlayer;
import dev.ludus.runner.runtime.Rollout;
import dev.ludus.runner.runtime.RolloutOptions;
import dev.ludus.runner.runtime.RunControl;
import dev.ludus.runner.runtime.Scorer;
import dev.ludus.runner.store.EpisodeStore;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * How a run plays its episodes through the {@link EpisodeRuntime}: each training iteration's
 * {@code tasksPerIteration × groupSize} episodes with the current policy (scored by the shaping pipeline one group
 * at a time, stored, told to the live listener, and in cluster mode leased to the workers), a dynamic-sampling
 * round's further tasks, and the oracle's or an evaluator's episodes (unscored, not stored). Episodes come back
 * sorted by id. Thread-safe as far as the runtime is; the scoring time adds up from event loops.
 *
 * <p>Against a frozen partner ({@link #playAgainst}, {@code selfPlay: frozen-partner} in a multi-agent environment),
 * every match of the policy's rollouts has one learning seat ({@link FrozenPartner#learningSeat} of its group) played
 * by the policy, and the partner plays the others: sampling in training rollouts, at the evaluation temperature in
 * {@link #unscored} and {@link #heldOut} ones. The matches are those of shared self-play (the same indices, tasks, seeds
 * and episode ids), played as one runtime rollout per learning seat that leaves out the other seats' groups. Every
 * episode is scored and stored (the partner's are named {@value FrozenPartner#NAME}), but only the learning seat's come
 * back, so only they are trained and evaluated. The warm start's oracle episodes are played before the partner exists
 * and fill every seat.
 */
final class Rollouts {
  /** Seeds of the held-out evaluations live far from the training iterations' seeds. */
  static final long EVAL_SEED_OFFSET = 1_000_003L;

  private final TrainConfig config;
  private final EpisodeRuntime runtime;
  private final Resolved resolved;
  private final EpisodeStore store;
  private final EpisodeListener trainingEpisodes;
  private final LongAdder scoringNanos;
  private final PolicyPublisher cluster;
  private final DjlLmAgentProvider.Config preparedModel;
  private final BoundEnvironment heldOut;
  private final BoundEnvironment validation;
  private volatile FrozenPartner partner;

  /**
   * @param store where training episodes go once scored
   * @param trainingEpisodes told of every training episode once it is scored and stored
   * @param scoringNanos adds the shaping pipeline's wall time during training rollouts
   * @param cluster publishes each iteration's policy and leases its episodes, or null
   * @param preparedModel the policy's configuration as the run built it (the workers' agents)
   */
  Rollouts(TrainConfig config, EpisodeRuntime runtime, Resolved resolved, EpisodeStore store,
      EpisodeListener trainingEpisodes, LongAdder scoringNanos, PolicyPublisher cluster,
      DjlLmAgentProvider.Config preparedModel) {
    this.config = config;
    this.runtime = runtime;
    this.resolved = resolved;
    this.store = store;
    this.trainingEpisodes = trainingEpisodes;
    this.scoringNanos = scoringNanos;
    this.cluster = cluster;
    this.preparedModel = preparedModel;
    this.heldOut = resolved.env().heldOut().orElse(resolved.env());
    this.validation = resolved.env().validation().orElse(resolved.env());
  }

  /**
   * From now on the policy plays one seat of each match and {@code partner} the others (see the class comment); does
   * nothing in a single-agent environment. The caller closes the partner after the last rollout.
   */
  void playAgainst(FrozenPartner partner) {
    if (resolved.env().multiAgent()) {
      this.partner = partner;
    }
  }

  /** The partner the policy plays against, or null (self-play, or a single-agent environment). */
  FrozenPartner partner() {
    return partner;
  }

  /**
   * Who the policy's episodes play against, for evaluation lines: the partner, {@code self-play} in a multi-agent
   * environment without one, or null in a single-agent environment.
   */
  String opponent() {
    FrozenPartner p = partner;
    return !resolved.env().multiAgent() ? null : p == null ? "self-play" : p.describe();
  }

  /** Starts iteration {@code it}'s rollouts with the current policy; its episodes, sorted by id, when done. */
  CompletableFuture<List<Episode>> iteration(DjlLmAgent policy, String runId, int it) {
    String iterationId = runId + "-it" + it;
    return play(policy, iterationId, config.tasksPerIteration() * config.groupSize(), config.groupSize(),
        trainingSeed(config.seed(), it), training(), store::append, trainingEpisodes,
        cluster == null ? null : options -> cluster.publish(iterationId, resolved.env(), options, preparedModel,
            policy.trainable(), policy.tokenizer()), false);
  }

  /** Dynamic sampling's round {@code round} (from 1) of iteration {@code it}: as many new tasks again. */
  List<Episode> round(Agent policy, String runId, int it, int round) throws InterruptedException {
    return await(play(policy, runId + "-it" + it + "r" + round, config.tasksPerIteration() * config.groupSize(),
        config.groupSize(), Seeds.mix(trainingSeed(config.seed(), it), round), training(), store::append,
        trainingEpisodes, null, false));
  }

  /** {@code episodes} single episodes of {@code agent} from {@code seed}, unscored and not stored. */
  List<Episode> unscored(Agent agent, String runId, int episodes, long seed) throws InterruptedException {
    return await(play(resolved.env(), agent, runId, episodes, 1, seed, Scorer.none(), null, EpisodeListener.none(),
        null, true));
  }

  /**
   * As {@link #unscored}, on the environment's held-out tasks where it declares them
   * ({@link BoundEnvironment#heldOut()}: a dev split), else on the training environment.
   */
  List<Episode> heldOut(Agent agent, String runId, int episodes, long seed) throws InterruptedException {
    return await(play(heldOut, agent, runId, episodes, 1, seed, Scorer.none(), null, EpisodeListener.none(), null,
        true));
  }

  /**
   * As {@link #unscored}, for model selection: on the environment's validation tasks where it declares them
   * ({@link BoundEnvironment#validation()}: a validation split that training and the held-out evaluation never play),
   * else on the training environment.
   */
  List<Episode> validation(Agent agent, String runId, int episodes, long seed) throws InterruptedException {
    return await(play(validation, agent, runId, episodes, 1, seed, Scorer.none(), null, EpisodeListener.none(), null,
        true));
  }

  /** What {@link #validation} plays, for the log: {@code env}'s validation split, or its training tasks. */
  static String validationPlays(BoundEnvironment env) {
    return env.validation().isPresent()
        ? "the validation tasks " + env.name() + " declares (tasks neither training nor the held-out evaluation "
            + "plays)"
        : "the training configuration on seeds of its own (" + env.name() + " declares no validation tasks)";
  }

  private Scorer training() {
    return Scorer.timed(resolved.pipeline()::scoreAsync, scoringNanos);
  }

  private CompletableFuture<List<Episode>> play(Agent agent, String runId, int episodes, int group, long seed,
      Scorer scorer, EpisodeSink sink, EpisodeListener listener,
      Function<RolloutOptions, MatchPlayer> away, boolean evaluating) {
    return play(resolved.env(), agent, runId, episodes, group, seed, scorer, sink, listener, away, evaluating);
  }

  private CompletableFuture<List<Episode>> play(BoundEnvironment env, Agent agent, String runId, int episodes,
      int group, long seed, Scorer scorer, EpisodeSink sink, EpisodeListener listener,
      Function<RolloutOptions, MatchPlayer> away, boolean evaluating) {
    FrozenPartner p = partner;
    if (p != null && env.multiAgent()) {
      return againstPartner(p, env, agent, runId, episodes, group, seed, scorer, sink, listener, evaluating);
    }
    List<Episode> out = Collections.synchronizedList(new ArrayList<>());
    RolloutOptions options = RolloutOptions.of(episodes, config.concurrency(), seed).withGroupSize(group);
    EpisodeSink collect = e -> {
      out.add(e);
      return sink == null ? CompletableFuture.completedFuture(null) : sink.accept(e);
    };
    MatchPlayer player = away == null ? null : away.apply(options);
    Rollout rollout = new Rollout(runId, env, Resolved.POLICY, agent, options, scorer);
    return (player == null ? runtime.run(rollout, collect, listener)
        : runtime.run(rollout, collect, listener, RunControl.create(), player))
        .toCompletableFuture().thenApply(summary -> {
          List<Episode> sorted = new ArrayList<>(out);
          sorted.sort(Comparator.comparing(Episode::id));
          return sorted;
        });
  }

  /**
   * The matches of a rollout with {@code agent} in each match's learning seat and {@code p} in the others: one runtime
   * rollout per learning seat, each leaving out the matches of the other seats' groups, so the matches are exactly
   * those of one self-play rollout. Only the learning seats' episodes come back; the sink gets every episode.
   */
  private CompletableFuture<List<Episode>> againstPartner(FrozenPartner p, BoundEnvironment env, Agent agent,
      String runId, int episodes, int group, long seed, Scorer scorer, EpisodeSink sink, EpisodeListener listener,
      boolean evaluating) {
    List<Episode> out = Collections.synchronizedList(new ArrayList<>());
    List<String> learning = p.learningSeats();
    RolloutOptions options = RolloutOptions.of(episodes, Math.max(1, config.concurrency() / learning.size()), seed)
        .withGroupSize(group);
    List<CompletableFuture<?>> parts = new ArrayList<>();
    for (String seat : learning) {
      BitSet others = new BitSet(episodes);
      for (int i = 0; i < episodes; i++) {
        if (!p.learningSeat(i / group).equals(seat)) {
          others.set(i);
        }
      }
      if (others.cardinality() == episodes) {
        continue;
      }
      Map<String, Rollout.SeatAgent> seats = new LinkedHashMap<>();
      for (String s : p.seats()) {
        if (!s.equals(seat)) {
          seats.put(s, new Rollout.SeatAgent(FrozenPartner.NAME, p.agent(evaluating)));
        }
      }
      EpisodeSink collect = e -> {
        if (seat.equals(e.seat())) {
          out.add(e);
        }
        return sink == null ? CompletableFuture.completedFuture(null) : sink.accept(e);
      };
      Rollout rollout = new Rollout(runId, env, Resolved.POLICY, agent, options, scorer).withSeatAgents(seats);
      parts.add(runtime.run(rollout, collect, listener, RunControl.resuming(others, c -> { }))
          .toCompletableFuture());
    }
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(done -> {
      List<Episode> sorted = new ArrayList<>(out);
      sorted.sort(Comparator.comparing(Episode::id));
      return sorted;
    });
  }

  /** The rollout's episodes once it is done; a rollout that failed as a whole fails the run. */
  static List<Episode> await(CompletableFuture<List<Episode>> rollout) throws InterruptedException {
    try {
      return rollout.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("the rollout failed: " + e.getCause(), e.getCause());
    }
  }

  /** The training seed of iteration {@code it}: distinct per iteration, never an evaluation's. */
  static long trainingSeed(long seed, int it) {
    return seed * 7919L + it + 1;
  }
}
