package dev.ludus.shaping.combine;

import dev.ludus.api.CombinerProvider;
import dev.ludus.api.ComponentValues;
import dev.ludus.api.RewardCombiner;
import dev.ludus.api.stats.Statistics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * {@code ensemble}: reward-model ensembles (Eisenstein et al., <i>Helping or Herding? Reward Model Ensembles
 * Mitigate but do not Eliminate Reward Hacking</i>, 2023). The components are the members of one ensemble
 * (e.g. the same judge trained from different pretraining seeds); each is z-normalized over the group,
 * then at every turn the members are aggregated by the mean, the median, the minimum (worst case) or the
 * uncertainty-penalized mean: {@code r_t = agg_k z_k,t}, with
 * {@code mean-minus-std: r_t = mean_k z_k,t − λ · std_k z_k,t}.
 *
 * <p>Provenance [SUMMARY; the list of aggregators partly RECALL]: the z-normalization and the four
 * aggregators are implemented as the catalog describes them. Choices, by design: the z-score is the group's
 * (all episodes and turns pooled; sample standard deviation plus ε, exactly 0 for a constant member, as in
 * {@code normalize-then-sum}); the spread in {@code mean-minus-std} is the population standard deviation
 * of the members present at that turn; a weight only decides membership (a component of weight 0 is a
 * metric and not a member), members are otherwise exchangeable. {@code members} restricts the ensemble to
 * the named components (shaper names or aliases, e.g. the same judge listed twice as {@code judge-a} and
 * {@code judge-b}, or {@code shaper/component}); the others then contribute {@code w · r} as in
 * {@code weighted-sum}, so an ensemble of judges can sit beside the outcome.
 *
 * <p>Ledger (how the aggregate is attributed, so that the turn reward is the sum of the contributions plus
 * the adjustment): {@code mean}: each of the K members present contributes {@code z_k / K};
 * {@code min}: the member at the minimum contributes its z, the others 0 (ties share it equally);
 * {@code median}: the middle member contributes its z (for an even K the two middle members each
 * contribute half of theirs), the others 0; {@code mean-minus-std}: each member contributes
 * {@code z_k / K} and the penalty {@code −λ · std} is the combiner's adjustment. A turn where no member has
 * a value gets nothing.
 *
 * <p>Laws: min ≤ median ≤ max; mean − λ·std ≤ mean for λ ≥ 0. Stateless and thread-safe.
 */
public final class EnsembleCombinerProvider implements CombinerProvider<EnsembleCombinerProvider.Config> {

  /** The aggregators. */
  static final List<String> AGGREGATES = List.of("mean", "median", "min", "mean-minus-std");

  /**
   * @param aggregate {@code mean}, {@code median}, {@code min} or {@code mean-minus-std}
   * @param lambda the penalty on the members' spread for {@code mean-minus-std}, in [0, 100]
   * @param epsilon added to each member's standard deviation when z-normalizing, in [0, 1]
   * @param members the components in the ensemble (by shaper name, alias or {@code shaper/component});
   *     empty: every component of nonzero weight
   */
  public record Config(String aggregate, double lambda, double epsilon, List<String> members) {
    /** An ensemble of every component of nonzero weight. */
    public Config(String aggregate, double lambda, double epsilon) {
      this(aggregate, lambda, epsilon, List.of());
    }

    public Config {
      members = members == null ? List.of() : List.copyOf(members);
      GroupMath.oneOf(aggregate, "aggregate", AGGREGATES);
      if (!(lambda >= 0 && lambda <= 100)) {
        throw new IllegalArgumentException("lambda must be a number in [0, 100], was " + lambda);
      }
      if (!(epsilon >= 0 && epsilon <= 1)) {
        throw new IllegalArgumentException("epsilon must be a number in [0, 1], was " + epsilon);
      }
    }
  }

  public EnsembleCombinerProvider() {}

  @Override
  public String name() {
    return "ensemble";
  }

  @Override
  public String description() {
    return "components as ensemble members: z-normalized, then mean, median, min or mean minus λ·std per turn";
  }

  @Override
  public String formula() {
    return "r_t = agg_k z_k,t, agg ∈ {mean, median, min, mean − λ·std}, z_k = group z-score of member k";
  }

  @Override
  public String reference() {
    return "Helping or Herding? Reward Model Ensembles Mitigate but do not Eliminate Reward Hacking "
        + "(Eisenstein et al., 2023) [SUMMARY; aggregators partly RECALL]";
  }

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return new Config("mean", 1.0, 1e-4, List.of());
  }

  @Override
  public RewardCombiner create(Config config) {
    return components -> combine(config, components);
  }

  private static RewardCombiner.Combination combine(Config config, List<ComponentValues> components) {
    int n = components.size();
    double[][][] z = new double[n][][];
    double[][][] out = new double[n][][];
    for (int m = 0; m < n; m++) {
      ComponentValues c = components.get(m);
      boolean member = c.weight() != 0 && (config.members().isEmpty() || config.members().contains(c.source())
          || config.members().contains(c.label()));
      out[m] = member ? GroupMath.blankLike(c.values()) : GroupMath.scaled(c.values(), c.weight());
      z[m] = member ? GroupMath.zScoresPooled(c.values(), config.epsilon()) : null;
    }
    double[][] shape = components.isEmpty() ? new double[0][] : components.get(0).values();
    double[][] adjustment = config.aggregate().equals("mean-minus-std") ? GroupMath.blankLike(shape) : null;
    int[] members = new int[n];
    for (int i = 0; i < shape.length; i++) {
      for (int t = 0; t < shape[i].length; t++) {
        int k = 0;
        for (int m = 0; m < n; m++) {
          if (z[m] != null && !Double.isNaN(z[m][i][t])) {
            members[k++] = m;
          }
        }
        if (k == 0) {
          continue;
        }
        double[] values = new double[k];
        for (int j = 0; j < k; j++) {
          values[j] = z[members[j]][i][t];
        }
        double[] share = attribute(config.aggregate(), values);
        for (int j = 0; j < k; j++) {
          out[members[j]][i][t] = share[j];
        }
        if (adjustment != null) {
          adjustment[i][t] = -config.lambda() * Statistics.populationStd(values);
        }
      }
    }
    return new RewardCombiner.Combination(Arrays.asList(out), adjustment);
  }

  /**
   * Each member's part of the aggregate of {@code values} (for {@code mean-minus-std}, of the mean only):
   * the parts sum to the aggregate.
   */
  static double[] attribute(String aggregate, double[] values) {
    int k = values.length;
    double[] share = new double[k];
    switch (aggregate) {
      case "mean", "mean-minus-std" -> {
        for (int j = 0; j < k; j++) {
          share[j] = values[j] / k;
        }
      }
      case "min" -> {
        double min = Arrays.stream(values).min().orElseThrow();
        long ties = Arrays.stream(values).filter(x -> x == min).count();
        for (int j = 0; j < k; j++) {
          share[j] = values[j] == min ? min / ties : 0;
        }
      }
      case "median" -> {
        Integer[] order = new Integer[k];
        for (int j = 0; j < k; j++) {
          order[j] = j;
        }
        Arrays.sort(order, Comparator.comparingDouble(j -> values[j]));
        if (k % 2 == 1) {
          share[order[k / 2]] = values[order[k / 2]];
        } else {
          share[order[k / 2 - 1]] = values[order[k / 2 - 1]] / 2;
          share[order[k / 2]] = values[order[k / 2]] / 2;
        }
      }
      default -> throw new IllegalStateException("unknown aggregate " + aggregate);
    }
    return share;
  }
}
