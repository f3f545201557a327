package dev.ludus.simulators.questions;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The items still consistent with every answer so far, under a uniform belief. Immutable and thread-safe:
 * each answer gives a new value. The simulated user keeps one to publish its signals; the oracle rebuilds
 * one from the conversation; shapers can build one from the signals' names.
 *
 * @param items the consistent items, in pool order
 */
public record Candidates(List<Item> items) {
  public Candidates {
    items = List.copyOf(Objects.requireNonNull(items, "items"));
  }

  /** Those of {@code this} for which {@code question} has the answer {@code answer}. */
  public Candidates after(Question question, boolean answer) {
    return new Candidates(items.stream().filter(it -> question.test(it) == answer).collect(Collectors.toList()));
  }

  /** {@code this} without {@code item} (after a wrong guess). */
  public Candidates without(Item item) {
    return new Candidates(items.stream().filter(it -> !it.equals(item)).collect(Collectors.toList()));
  }

  public int count() {
    return items.size();
  }

  public boolean contains(Item item) {
    return items.contains(item);
  }

  /** The names of the items, in order. */
  public List<String> names() {
    return items.stream().map(Item::name).collect(Collectors.toUnmodifiableList());
  }

  /** The entropy in bits of a uniform belief over the items: {@code log2(count)}, 0 when one or none is left. */
  public double entropyBits() {
    return items.size() <= 1 ? 0.0 : Math.log(items.size()) / Math.log(2);
  }

  /** How many items {@code question} answers yes for. */
  public int yesCount(Question question) {
    return (int) items.stream().filter(question::test).count();
  }

  /**
   * The expected information gain, in bits, of asking {@code question} under a uniform belief: the entropy
   * of the yes/no split, {@code H(p) = -p log2 p - (1-p) log2 (1-p)} with {@code p = yes / count}.
   */
  public double expectedGainBits(Question question) {
    int n = items.size();
    if (n == 0) {
      return 0.0;
    }
    double p = (double) yesCount(question) / n;
    return h(p) + h(1 - p);
  }

  private static double h(double p) {
    return p <= 0 ? 0.0 : -p * Math.log(p) / Math.log(2);
  }
}
