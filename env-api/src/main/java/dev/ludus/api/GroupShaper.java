package dev.ludus.api;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The optional ability of a {@link RewardShaper} to score a whole group of episodes at once and answer
 * later: a reward model that batches the turns of many episodes into one forward pass, an LLM judge that
 * waits on the network. A provider returns one from {@code create} like any shaper; the shaping pipeline
 * sees the ability and calls {@link #shapeGroup} instead of {@link #shape}.
 *
 * <p>Contract: {@code shapeGroup} returns at once and never blocks the calling thread (it may be an
 * event loop): hand model work to a worker, e.g. a {@link dev.ludus.api.batch.Batcher}. The stage
 * completes, on any thread, with one list of raw contributions per episode of {@code group}, in the same
 * order and under the same rules as {@link #shape} (at most one per turn and component). A stage that
 * fails, or does not complete within the pipeline's timeout, fails the group's episodes with a reason
 * naming the shaper; the run goes on.
 *
 * <p>Thread-safety: as {@link RewardShaper}: the pipeline calls one instance for many groups at once.
 */
public interface GroupShaper extends RewardShaper {

  /**
   * The raw contributions for each episode of {@code group} (episodes on the same task that did not
   * fail), one list per episode, in order.
   */
  CompletionStage<List<List<RewardContribution>>> shapeGroup(List<Episode> group);

  /**
   * Scores {@code episode} as a group of one and <b>waits</b> for the answer: for tests and tools only,
   * never on an event loop nor on the thread that completes {@link #shapeGroup}'s stages.
   */
  @Override
  default List<RewardContribution> shape(Episode episode) {
    return shapeGroup(List.of(episode)).toCompletableFuture().join().get(0);
  }
}
