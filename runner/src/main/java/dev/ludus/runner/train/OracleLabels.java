package dev.ludus.runner.train;

import dev.ludus.agents.djl.LmTokenizer;
import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Episode;
import dev.ludus.api.Message;
import dev.ludus.api.TokenTrace;
import dev.ludus.api.Turn;
import dev.ludus.environments.text.ActionText;
import dev.ludus.runner.learn.Demonstration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;

/**
 * DAgger's on-policy labels (Ross, Gordon and Bagnell 2011, "A Reduction of Imitation Learning and Structured
 * Prediction to No-Regret Online Learning"): after an iteration's rollouts, the environment's oracle is asked what it
 * would do at the states the policy reached, and where the policy has left the oracle's path those answers become
 * demonstrations at the policy's own prompts, for the PPO-ptx term ({@code PolicyLearner#addLabels}). The warm start
 * imitates the oracle's path only, so a policy that strays from it meets states no demonstration shows (the Mastermind
 * plugin: groups whose 8 samples were all invalid codes after feedback the warm start never showed, issue 19).
 *
 * <p>Each episode's turns are walked in order, the oracle given the request the policy had (the whole task, the
 * episode seed, the turn, the opening observation and every earlier action and observation). Its action becomes the
 * target as the warm start's are ({@link TeacherAgent#target}); a turn is labelled from the first one whose sampled
 * tokens differ from the oracle's target on, that turn included: before it the policy was on the oracle's path, which
 * the demonstrations already cover. Only for an environment whose oracle can act from any state
 * ({@code EnvironmentProvider#oracleActsFromAnyState}); a seat of a multi-agent match is skipped, and a turn the oracle
 * declines (a dead end, a failure) gives no label. Not thread-safe; the oracle is the caller's.
 *
 * <p>Which episodes ({@code learner.ptxLabelsFrom}): with a greedy agent, each iteration plays one greedy episode per
 * task ({@code tasksPerIteration}, on seeds of their own) and labels the failed ones only, at their first off-path turn
 * only: that state is on the oracle's path (the policy had matched it until then), so its label is a demonstration the
 * warm start lacked, where the policy as evaluated goes wrong. The later turns' states are the policy's own detours:
 * on the Mastermind plugin, labelling them too (124 labels in 10 iterations) left the labels' term at 1.6–3.0 nats,
 * and fitting it cut sampled success from 0.67 to 0.5 and validation from 0.898 to 0.867. Without a greedy agent,
 * every sampled episode of the iteration, every turn from the first off-path one on.
 */
final class OracleLabels {
  /** The longest the labeller waits for one oracle answer. */
  private static final long ANSWER_SECONDS = 30;

  private final Agent oracle;
  private final LmTokenizer tokenizer;
  private final boolean wholeMessage;
  private final Agent greedy;

  /**
   * What one iteration labelled.
   *
   * @param labels the labels, in episode and turn order
   * @param episodes the episodes looked at (the greedy ones played for labelling, else the sampled ones)
   * @param labelled those of them that were labelled (with a greedy agent: the failed ones)
   */
  record Labelled(List<Demonstration> labels, int episodes, int labelled) {}

  /**
   * @param oracle the environment's oracle, privileged (it is given the whole task)
   * @param tokenizer the policy's, which encodes the targets
   * @param wholeMessage demonstrate the oracle's whole message, not only its action part ({@code warmStartTarget})
   * @param greedy the greedy agent sharing the policy's weights, whose failed episodes are labelled; null to label
   *     the sampled episodes
   */
  OracleLabels(Agent oracle, LmTokenizer tokenizer, boolean wholeMessage, Agent greedy) {
    this.oracle = Objects.requireNonNull(oracle, "oracle");
    this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
    this.wholeMessage = wholeMessage;
    this.greedy = greedy;
  }

  /**
   * Iteration {@code it}'s labels: of the failed ones of {@code tasksPerIteration} greedy episodes played now (on
   * seeds apart from every other rollout's, {@link #labelSeed}), or without a greedy agent of {@code sampled}.
   */
  Labelled iteration(Player unscored, TrainConfig config, List<Episode> sampled, String runId, int it)
      throws InterruptedException {
    if (greedy == null) {
      return new Labelled(label(sampled), sampled.size(), sampled.size());
    }
    List<Episode> played = unscored.play(greedy, runId + "-dagger" + it, config.tasksPerIteration(),
        labelSeed(config.seed(), it));
    List<Episode> failed = failures(played);
    return new Labelled(label(failed, true), played.size(), failed.size());
  }

  /** Plays single unscored episodes ({@link Rollouts#unscored}). */
  @FunctionalInterface
  interface Player {
    /** {@code episodes} single episodes of {@code agent} from run seed {@code seed}. */
    List<Episode> play(Agent agent, String runId, int episodes, long seed) throws InterruptedException;
  }

  /** The episodes of {@code episodes} that did not succeed. */
  static List<Episode> failures(List<Episode> episodes) {
    return episodes.stream().filter(e -> !e.success()).toList();
  }

  /** The run seed of iteration {@code it}'s greedy labelling episodes: apart from the evaluations' and training's. */
  static long labelSeed(long seed, int it) {
    return dev.ludus.api.Seeds.mix(seed + 5 * Rollouts.EVAL_SEED_OFFSET, it);
  }

  /** The labels of {@code episodes}' off-path turns, in episode and turn order. */
  List<Demonstration> label(List<Episode> episodes) throws InterruptedException {
    return label(episodes, false);
  }

  /** As {@link #label(List)}; with {@code firstOnly} only each episode's first off-path turn. */
  List<Demonstration> label(List<Episode> episodes, boolean firstOnly) throws InterruptedException {
    List<Demonstration> out = new ArrayList<>();
    for (Episode e : episodes) {
      if (e.seat() == null) {
        label(e, firstOnly, out);
      }
    }
    return out;
  }

  private void label(Episode e, boolean firstOnly, List<Demonstration> out) throws InterruptedException {
    List<Message> conversation = new ArrayList<>(e.start());
    boolean offPath = false;
    try {
      for (Turn turn : e.turns()) {
        TokenTrace trace = turn.tokens();
        if (trace != null && trace.outputIds().length > 0) {
          AgentRequest request = new AgentRequest(e.id(), e.task(), e.seed(), turn.index(), conversation, e.tools());
          int[] target = answer(request);
          if (target == null) {
            return; // the oracle sees no way on from here (and so from any later state of this episode)
          }
          offPath |= !Arrays.equals(target, trace.outputIds());
          if (offPath) {
            out.add(new Demonstration(trace.promptIds(), target));
            if (firstOnly) {
              return;
            }
          }
        }
        conversation.add(turn.action());
        conversation.addAll(turn.observation());
      }
    } finally {
      oracle.episodeEnded(e.id());
    }
  }

  /** The oracle's target tokens for {@code request}, or null when it gives no action. */
  private int[] answer(AgentRequest request) throws InterruptedException {
    AgentResponse response;
    try {
      response = oracle.act(request).toCompletableFuture().get(ANSWER_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      return null;
    }
    return response instanceof AgentResponse.Reply reply ? TeacherAgent.target(tokenizer, reply, wholeMessage) : null;
  }
}
