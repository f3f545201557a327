package dev.ludus.runner.train;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.api.Episode;
import dev.ludus.api.LedgerEntry;
import dev.ludus.runner.config.Json;
import dev.ludus.runner.learn.UpdateStats;
import dev.ludus.runner.learn.advantage.AdvantageStats;
import dev.ludus.runner.tensorboard.MetricScalars;
import dev.ludus.shaping.ShapingPipeline;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One line of a training run's {@code metrics.jsonl}: one per learner update, or one for an iteration without an
 * update. The trainer fills it ({@link #of}); the report, the dashboard, TensorBoard, {@code ludus export
 * --format verl-metrics} and the experiments read it back ({@link #read}). Its JSON keys are the component names
 * (but {@code return}, the mean shaped return), in this order; a component that is null is left out of the line.
 *
 * <p>Reading: every component is null when the line lacks its key, so a run written before a key existed (or a
 * line that never has it: the critic's {@code value*} figures without a critic, {@code preference} outside
 * {@code dpo|ipo|raft}) gives no value rather than a made-up 0; a nested group ({@code layout}, {@code advantages},
 * {@code sampling}, {@code staleness}) is read as a whole. Immutable.
 *
 * @param iteration the training iteration, from 0
 * @param policyVersion the policy's version after the update, -1 for an iteration without one
 * @param step optimizer steps taken so far, this update included; -1 for an iteration without an update
 * @param episodes the iteration's episodes (every dynamic-sampling round's)
 * @param success their share that succeeded
 * @param shapedReturn their mean shaped return (key {@code return})
 * @param envReturn their mean environment return
 * @param meanTurns their mean number of turns
 * @param components each ledger component's mean value per episode, by {@code source/component}
 * @param applied whether the optimizer stepped ({@link UpdateStats#applied()})
 * @param loss the update's {@link UpdateStats}, each 0 (false) for an iteration without an update
 * @param valueLoss the critic's figures; present only when the update trained a value head
 * @param samples the samples (agent turns) the iteration trained on
 * @param updateSamples the samples of this update
 * @param layout how the iteration's samples were laid out
 * @param zeroAdvantageTurns turns skipped because all their advantages were 0
 * @param advantages the iteration's {@link AdvantageStats}
 * @param sampling what dynamic sampling did
 * @param staleness how many policy versions the samples lagged, and how many were dropped for it
 * @param preference only with {@code algorithm: dpo|ipo|raft}
 * @param rolloutWaitSeconds how long the learner waited for the iteration's rollouts (all of them when
 *     synchronous, what the updates did not hide when pipelined); runs written before 2026-11-22 called it
 *     {@code rolloutSeconds}, which reads as this
 * @param scoringSeconds the shaping pipeline's share of those rollouts
 * @param updateSeconds advantages, samples and updates of the iteration
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IterationMetrics(
    Integer iteration,
    Long policyVersion,
    Long step,
    Integer episodes,
    Double success,
    @JsonProperty("return") Double shapedReturn,
    Double envReturn,
    Double meanTurns,
    Map<String, Double> components,
    Boolean applied,
    Double loss,
    Double policyLoss,
    Double kl,
    Double entropy,
    Double clipFraction,
    Double clipFractionHigh,
    Double clipFractionLow,
    Double dualClipFraction,
    Double ratioMean,
    Double ratioMin,
    Double ratioMax,
    Double behaviourKl,
    Double klCoefficient,
    Boolean klStopped,
    Double ptxLoss,
    Long ptxTokens,
    Double valueLoss,
    Double valueMean,
    Double valueExplainedVariance,
    Double valueClipFraction,
    Double gradNorm,
    Integer samples,
    Long tokens,
    Integer updateSamples,
    Integer rows,
    Long paddedCells,
    Double trainedTokenShare,
    Layout layout,
    Integer zeroAdvantageTurns,
    AdvantageStats advantages,
    Trainer.SamplingStats sampling,
    Staleness staleness,
    Preference preference,
    @JsonAlias("rolloutSeconds") Double rolloutWaitSeconds,
    Double scoringSeconds,
    Double updateSeconds) {

  /**
   * How an iteration's samples were laid out for the learner.
   *
   * @param packed whether each episode's trained turns were packed into rows ({@link dev.ludus.runner.learn.PackedSample})
   * @param rows the rows: one per sample unpacked, one per episode (or per stretch of one) packed
   * @param splitEpisodes episodes whose trained turns needed more than one row because a turn's prompt did not
   *     continue the previous turn's prompt and output (a prompt cut to fit the context, a reply whose text encodes
   *     to other ids than the ones sampled)
   */
  public record Layout(boolean packed, int rows, int splitEpisodes) {}

  /**
   * How far the iteration's samples lagged the policy they trained.
   *
   * @param mean mean policy versions behind, over the samples kept
   * @param max the most versions behind of a sample kept
   * @param dropped turns dropped for lagging more than {@link TrainConfig#maxStaleness()}
   */
  public record Staleness(double mean, long max, int dropped) {}

  /**
   * What the iteration's preference step saw and did ({@code algorithm: dpo|ipo|raft}).
   *
   * @param algorithm {@code dpo}, {@code ipo} or {@code raft}
   * @param groups the groups ranked
   * @param tiedGroups groups skipped because their usable episodes all scored alike (or fewer than two were usable)
   * @param pairs DPO/IPO pairs trained on (0 for RAFT)
   * @param kept RAFT episodes imitated (0 for DPO/IPO)
   * @param accuracy DPO/IPO: the share of pairs the policy already ranked right (implicit reward margin above 0)
   *     before the iteration's last step; null for RAFT
   * @param margin DPO/IPO: the mean {@code β·Δ} before the last step; null for RAFT
   * @param chosenReward DPO/IPO: the chosen responses' mean implicit reward before the last step; null for RAFT
   * @param rejectedReward DPO/IPO: the rejected responses' mean implicit reward before the last step; null for RAFT
   */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Preference(String algorithm, int groups, int tiedGroups, int pairs, int kept, Double accuracy,
      Double margin, Double chosenReward, Double rejectedReward) {}

  /** The line of {@code update} in iteration {@code it} ({@code update} null: the iteration took no update). */
  static IterationMetrics of(int it, Iteration r, UpdateStats update) {
    UpdateStats s = update;
    boolean none = s == null;
    boolean critic = !none && s.valueSamples() > 0;
    List<Episode> e = r.episodes();
    return new IterationMetrics(it, none ? -1 : s.policyVersion(), none ? -1 : s.step(), e.size(), success(e),
        meanShapedReturn(e), e.stream().mapToDouble(Episode::totalReward).average().orElse(0),
        e.stream().mapToInt(x -> x.turns().size()).average().orElse(0), componentMeans(e), !none && s.applied(),
        none ? 0 : s.loss(), none ? 0 : s.policyLoss(), none ? 0 : s.kl(), none ? 0 : s.entropy(),
        none ? 0 : s.clipFraction(), none ? 0 : s.clipFractionHigh(), none ? 0 : s.clipFractionLow(),
        none ? 0 : s.dualClipFraction(), none ? 0 : s.ratioMean(), none ? 0 : s.ratioMin(), none ? 0 : s.ratioMax(),
        none ? 0 : s.behaviourKl(), none ? 0 : s.klCoefficient(), !none && s.klStopped(), none ? 0 : s.ptxLoss(),
        none ? 0 : s.ptxTokens(),
        critic ? s.valueLoss() : null, critic ? s.valueMean() : null, critic ? s.valueExplainedVariance() : null,
        critic ? s.valueClipFraction() : null,
        none ? 0 : s.gradNorm(), r.samples(), none ? 0 : s.tokens(), none ? 0 : s.samples(), none ? 0 : s.rows(),
        none ? 0 : s.paddedCells(), none ? 0 : s.trainedTokenShare(), r.layout(), r.zeroAdvantageTurns(),
        r.advantages(), r.sampling(), new Staleness(r.meanStaleness(), r.maxStaleness(), r.dropped()),
        r.preference(), r.rolloutSeconds(), r.scoringSeconds(), r.updateSeconds());
  }

  /**
   * A line of {@code metrics.jsonl} as this record; keys it does not know are ignored.
   *
   * @throws IllegalArgumentException naming what is wrong when {@code line} is not a JSON object of metrics
   */
  public static IterationMetrics read(String line) {
    try {
      return read(Json.JSON.readTree(line));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a metrics line: " + Json.problem(e), e);
    }
  }

  /** {@link #read(String)} of a line already parsed. */
  public static IterationMetrics read(JsonNode line) {
    if (!line.isObject()) {
      throw new IllegalArgumentException("not a metrics line: a JSON object was expected, got " + line.getNodeType());
    }
    try {
      return Json.JSON.treeToValue(line, IterationMetrics.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a metrics line: " + Json.problem(e), e);
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

  /**
   * Every scalar of the line but {@code step}, nested keys joined by {@code /} ({@code components/outcome/outcome},
   * {@code staleness/max}), booleans as 0 or 1, in the line's order: what TensorBoard plots and verl-metrics
   * exports ({@link MetricScalars}).
   */
  public Map<String, Double> scalars() {
    Map<String, Double> scalars = MetricScalars.flatten(Json.JSON.valueToTree(this));
    // the line writes NaN and infinities as strings ("NaN"), so it has no number there: neither do its scalars
    scalars.values().removeIf(v -> !Double.isFinite(v));
    return scalars;
  }

  /**
   * The optimizer step this line is plotted at: its {@code step} when it reports an update, else {@code previous}
   * (an iteration without an update stays at the step of the last one).
   */
  public long plotStep(long previous) {
    return step != null && step >= 0 ? step : previous;
  }

  /** {@code value}, or {@code absent} when the line lacks it. */
  public static double or(Number value, double absent) {
    return value == null ? absent : value.doubleValue();
  }

  static double success(List<Episode> episodes) {
    return episodes.isEmpty() ? 0 : episodes.stream().filter(Episode::success).count() / (double) episodes.size();
  }

  static double meanShapedReturn(List<Episode> episodes) {
    return episodes.stream().mapToDouble(ShapingPipeline::shapedReturn).average().orElse(0);
  }

  static Map<String, Double> componentMeans(List<Episode> episodes) {
    Map<String, Double> sums = new TreeMap<>();
    for (Episode e : episodes) {
      for (LedgerEntry l : e.ledger()) {
        sums.merge(l.label(), l.value(), Double::sum);
      }
    }
    Map<String, Double> means = new TreeMap<>();
    sums.forEach((k, v) -> means.put(k, episodes.isEmpty() ? 0 : v / episodes.size()));
    return means;
  }
}
