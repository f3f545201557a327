package dev.ludus.runner.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ludus.runner.config.Json;
import java.io.UncheckedIOException;

/**
 * One line of a training run's {@code evaluations.jsonl}: a held-out evaluation (see {@link Trainer}). Written by
 * the trainer, read by the report ({@link #read}). Immutable.
 *
 * @param evaluation when: {@code before}, {@code resume}, {@code after-warm-start} or {@code after}
 * @param episodes episodes played
 * @param success their share that succeeded
 * @param meanTurns their mean number of turns
 * @param warmStart what the warm start reached (only on the {@code after-warm-start} line), else null and left out
 * @param meanReturn their mean return, the environment's own reward summed over an episode (a score environment's
 *     score: success is only whether it ended well); null on lines written before it was recorded
 * @param failed how many of them failed (an error or a time limit: they count as not succeeded); null on lines
 *     written before it was recorded
 * @param opponent in a multi-agent environment, who played the seats other than the policy's: {@code self-play} (the
 *     policy itself) or the frozen partner ({@code selfPlay: frozen-partner}); null and left out otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvaluationMetrics(String evaluation, int episodes, double success, double meanTurns,
    Trainer.WarmStart warmStart, Double meanReturn, Integer failed, String opponent) {

  /** The canonical constructor, the one lines are read with. */
  @com.fasterxml.jackson.annotation.JsonCreator
  public EvaluationMetrics {}

  /** A line without an opponent (a single-agent environment). */
  public EvaluationMetrics(String evaluation, int episodes, double success, double meanTurns,
      Trainer.WarmStart warmStart, Double meanReturn, Integer failed) {
    this(evaluation, episodes, success, meanTurns, warmStart, meanReturn, failed, null);
  }

  /**
   * A line of {@code evaluations.jsonl} as this record; keys it does not know are ignored.
   *
   * @throws IllegalArgumentException naming what is wrong when {@code line} is not an evaluation
   */
  public static EvaluationMetrics read(String line) {
    try {
      return Json.JSON.readValue(line, EvaluationMetrics.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not an evaluation line: " + Json.problem(e), e);
    }
  }

  /** The line, on one line of compact JSON (no newline). */
  public String toJson() {
    try {
      return Json.JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
