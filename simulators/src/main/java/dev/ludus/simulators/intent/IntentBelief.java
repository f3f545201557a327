package dev.ludus.simulators.intent;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The intents still consistent with every answer, under a uniform belief: per attribute, the values not yet ruled
 * out, and whether the user said it was not sure of it. The candidate set is their product, so its entropy is the sum
 * of {@code log2} of each attribute's remaining values. Immutable and thread-safe; each answer gives a new value.
 * The user keeps one to publish its signals; the oracle rebuilds one from the conversation.
 *
 * @param spec the specification
 * @param remaining per attribute, the values still possible, in specification order
 * @param unsure per attribute, whether the user said it was not sure of it
 */
public record IntentBelief(IntentSpec spec, List<List<String>> remaining, List<Boolean> unsure) {
  public IntentBelief {
    Objects.requireNonNull(spec, "spec");
    remaining = remaining.stream().map(List::copyOf).toList();
    unsure = List.copyOf(unsure);
  }

  /** Nothing known yet. */
  public static IntentBelief initial(IntentSpec spec) {
    return new IntentBelief(spec, spec.attributes().stream().map(IntentSpec.Attribute::values).toList(),
        spec.attributes().stream().map(a -> false).toList());
  }

  /** After learning that attribute {@code attribute} is {@code value}. */
  public IntentBelief is(int attribute, String value) {
    return with(attribute, remaining.get(attribute).contains(value) ? List.of(value) : List.of());
  }

  /** After learning that attribute {@code attribute} is none of {@code values}. */
  public IntentBelief isNot(int attribute, List<String> values) {
    return with(attribute, remaining.get(attribute).stream().filter(v -> !values.contains(v)).toList());
  }

  /** After the user said it is not sure of {@code attribute}: nothing is ruled out. */
  public IntentBelief notSure(int attribute) {
    List<Boolean> u = new ArrayList<>(unsure);
    u.set(attribute, true);
    return new IntentBelief(spec, remaining, u);
  }

  private IntentBelief with(int attribute, List<String> values) {
    List<List<String>> r = new ArrayList<>(remaining);
    r.set(attribute, values);
    return new IntentBelief(spec, r, unsure);
  }

  /** The number of consistent intents, capped at {@link Integer#MAX_VALUE}. */
  public int count() {
    long n = 1;
    for (List<String> r : remaining) {
      n = Math.min(Integer.MAX_VALUE, n * r.size());
    }
    return (int) n;
  }

  /** The entropy in bits of the uniform belief: the sum over attributes of {@code log2} of the values left. */
  public double entropyBits() {
    double h = 0;
    for (List<String> r : remaining) {
      h += r.size() <= 1 ? 0 : Math.log(r.size()) / Math.log(2);
    }
    return h;
  }

  /** The entropy in bits left on attribute {@code attribute}. */
  public double entropyBits(int attribute) {
    int n = remaining.get(attribute).size();
    return n <= 1 ? 0 : Math.log(n) / Math.log(2);
  }

  /** How many attributes have exactly one value left. */
  public int known() {
    return (int) remaining.stream().filter(r -> r.size() == 1).count();
  }
}
