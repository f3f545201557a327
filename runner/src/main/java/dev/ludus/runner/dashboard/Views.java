package dev.ludus.runner.dashboard;

import dev.ludus.api.LedgerEntry;
import dev.ludus.api.Message;
import dev.ludus.runner.runtime.RunSummary;
import dev.ludus.api.Episode;
import dev.ludus.api.Turn;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;

/** The JSON bodies the dashboard's routes return, one record each; immutable values. */
final class Views {
  private Views() {}

  /**
   * One run the dashboard found.
   *
   * @param id the run's key in the routes (its directory name, made unique)
   * @param path the run directory
   * @param kind {@code train} (it has {@code metrics.jsonl}) or {@code rollout}
   * @param env the environment of its first episode, or null before any
   * @param episodes episodes indexed so far
   * @param pendingBytes bytes of {@code episodes.jsonl} not indexed yet: a large store is indexed a few megabytes
   *     per listing, and whole when the run is opened
   * @param updates lines of {@code metrics.jsonl} so far
   * @param hasReport whether the run wrote its offline {@code report.html}
   */
  record RunInfo(String id, String path, String kind, String env, int episodes, long pendingBytes, int updates,
      boolean hasReport) {}

  /**
   * One line of {@code metrics.jsonl}: its learning-curve values, named as {@link
   * dev.ludus.runner.train.Report#curves} names them.
   *
   * @param index the line's position in the file, from 0
   * @param iteration the training iteration
   * @param step the optimizer step, -1 for an iteration without an update
   * @param curves each curve's value at this update
   */
  record MetricPoint(int index, int iteration, long step, Map<String, Double> curves) {}

  /**
   * The metric lines of a run from {@code from} on; ask again with {@code from = next} for the lines written since.
   *
   * @param run the run's id
   * @param from the first line returned
   * @param next the number of lines read so far
   * @param points the lines from {@code from} to {@code next}
   * @param unreadable complete lines that were not JSON objects, skipped
   */
  record MetricsPage(String run, int from, int next, List<MetricPoint> points, int unreadable) {}

  /**
   * An episode as the browser lists it.
   *
   * @param index its position in {@code episodes.jsonl}, from 0 (the key of its detail route)
   * @param id its id
   * @param status {@code completed}, {@code truncated} or {@code failed}
   * @param success whether the task succeeded
   * @param totalReturn the environment's undiscounted return
   * @param turns turns played
   * @param failure why it failed, or null
   */
  record EpisodeRow(int index, String id, String status, boolean success, double totalReturn, int turns,
      String failure) {}

  /**
   * One page of a run's episodes.
   *
   * @param run the run's id
   * @param filter the filter applied ({@link EpisodeFilter})
   * @param order {@code newest} first or {@code oldest} first
   * @param matching episodes that match the filter
   * @param offset the position of the first row among the matching episodes
   * @param rows the page
   */
  record EpisodePage(String run, String filter, String order, int matching, int offset, List<EpisodeRow> rows) {}

  /**
   * Counts over every episode stored so far.
   *
   * @param total episodes read
   * @param completed whose task ended
   * @param truncated cut by a limit
   * @param failed that failed
   * @param successes that succeeded
   * @param successRate successes over total
   * @param meanReturn mean environment return over the episodes that did not fail
   * @param failures failure reasons by kind (numbers replaced by #, as {@code summary.json} counts them), most
   *     frequent first, each with a count and one full reason
   * @param examples the episodes the offline report shows
   * @param unreadable lines that were not episodes, skipped
   */
  record EpisodeStats(int total, int completed, int truncated, int failed, int successes, double successRate,
      double meanReturn, List<RunSummary.FailureCount> failures, Examples examples, int unreadable) {}

  /**
   * Indices of the episodes worth reading first (as the offline report picks them), -1 where none.
   *
   * @param lastSuccess the last successful episode
   * @param lastUnsuccessful the last episode that ended without success
   * @param lastFailed the last failed episode
   */
  record Examples(int lastSuccess, int lastUnsuccessful, int lastFailed) {}

  /**
   * One held-out evaluation of a training run ({@code evaluations.jsonl}).
   *
   * @param evaluation when: {@code before}, {@code after-warm-start}, {@code after} or {@code resume}
   * @param episodes episodes played
   * @param success their success rate
   */
  record Evaluation(String evaluation, int episodes, double success) {}

  /**
   * A run at a glance: what the offline report shows besides its curves and episodes.
   *
   * @param run the run
   * @param episodes counts over its stored episodes
   * @param summary its {@code summary.json} (rollouts write one), or null
   * @param evaluations its held-out evaluations (training runs)
   * @param config its {@code config.yaml}, or null
   */
  record RunOverview(RunInfo run, EpisodeStats episodes, RunSummary summary, List<Evaluation> evaluations,
      String config) {}

  /**
   * One episode as the episode viewer shows it: its turns, each with the messages exchanged, the environment's
   * signals and its own lines of the reward ledger.
   *
   * @param run the run's id
   * @param index its position in {@code episodes.jsonl}
   * @param id its id
   * @param env its environment
   * @param agent its agent
   * @param seat its seat in a multi-agent match, or null
   * @param seed its seed
   * @param status how it ended
   * @param failure why it failed, or null
   * @param success whether it succeeded
   * @param totalReturn its environment return
   * @param shapedReturn the sum of its ledger values (what the learner sees)
   * @param start the messages it opened with
   * @param startSignals the signals at the start
   * @param turns its turns
   * @param otherLedger ledger entries at no turn the episode played, if any
   */
  record EpisodeView(String run, int index, String id, String env, String agent, String seat, long seed,
      String status, String failure, boolean success, double totalReturn, double shapedReturn, List<Message> start,
      Map<String, Object> startSignals, List<TurnView> turns, List<LedgerEntry> otherLedger) {}

  /**
   * One turn of an {@link EpisodeView}.
   *
   * @param index the turn's index
   * @param action what the agent said or called
   * @param observation what came back
   * @param reward the environment's reward
   * @param terminated whether the task ended here
   * @param truncated whether a limit cut the episode here
   * @param signals the environment's signals after the turn
   * @param ledger the reward ledger's entries for this turn
   * @param shapedReward the sum of their values
   * @param agentMillis the agent's time
   * @param envMillis the environment's time
   */
  record TurnView(int index, Message action, List<Message> observation, double reward, boolean terminated,
      boolean truncated, Map<String, Object> signals, List<LedgerEntry> ledger, double shapedReward, long agentMillis,
      long envMillis) {}

  /** The page's settings: how often it polls, ms. */
  record Settings(int pollMillis) {}

  /** The viewer's form of episode {@code index} of {@code run}. */
  static EpisodeView episode(String run, int index, Episode e) {
    List<TurnView> turns = new ArrayList<>();
    Set<Integer> played = new HashSet<>();
    double shaped = 0;
    for (LedgerEntry l : e.ledger()) {
      shaped += l.value();
    }
    for (Turn t : e.turns()) {
      played.add(t.index());
      List<LedgerEntry> ledger = e.ledger().stream().filter(l -> l.turn() == t.index()).toList();
      turns.add(new TurnView(t.index(), t.action(), t.observation(), t.reward(), t.terminated(), t.truncated(),
          t.signals().asMap(), ledger, ledger.stream().mapToDouble(LedgerEntry::value).sum(), t.agentMillis(),
          t.envMillis()));
    }
    List<LedgerEntry> other = e.ledger().stream().filter(l -> !played.contains(l.turn())).toList();
    return new EpisodeView(run, index, e.id(), e.env(), e.agent(), e.seat(), e.seed(), e.status().wireName(),
        e.failure(), e.success(), e.totalReward(), shaped, e.start(), e.startSignals().asMap(), turns, other);
  }

  /** An error a route answers with. */
  record Problem(String error) {}
}
