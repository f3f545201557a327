package dev.ludus.simulators.intent;

import dev.ludus.api.Seeds;
import dev.ludus.api.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * An intent user's hidden state for one task, drawn from the task seed only: its intent (one value per attribute),
 * its expertise and (a novice) the attributes it does not know. The rule-based user and its LLM-driven twin share it,
 * so both hold the same hidden state for the same task. Immutable and thread-safe.
 *
 * @param intent one value per attribute, in specification order
 * @param unsure per attribute, whether the user does not know it
 * @param novice whether the user is a novice
 */
public record IntentDraw(List<String> intent, List<Boolean> unsure, boolean novice) {
  public IntentDraw {
    intent = List.copyOf(intent);
    unsure = List.copyOf(unsure);
  }

  /** The hidden state for {@code task} under {@code config}'s expertise and {@code spec}. */
  public static IntentDraw draw(IntentUserConfig config, IntentSpec spec, Task task) {
    SplittableRandom r = new SplittableRandom(Seeds.mix(task.seed(), 0x1A7E));
    List<String> intent = new ArrayList<>();
    for (IntentSpec.Attribute a : spec.attributes()) {
      intent.add(a.values().get(r.nextInt(a.values().size())));
    }
    boolean novice = switch (config.expertise()) {
      case "novice" -> true;
      case "expert" -> false;
      default -> r.nextBoolean();
    };
    List<Boolean> unsure = new ArrayList<>();
    for (int i = 0; i < spec.size(); i++) {
      double p = r.nextDouble();
      unsure.add(novice && p < spec.attributes().get(i).notSure());
    }
    return new IntentDraw(intent, unsure, novice);
  }

  /** How many attributes the user knows. */
  public int knowable() {
    return (int) unsure.stream().filter(u -> !u).count();
  }

  /** How many attributes the user knows that the final specification {@code values} gets right. */
  public int right(Map<Integer, String> values) {
    int right = 0;
    for (int i = 0; i < intent.size(); i++) {
      if (!unsure.get(i) && intent.get(i).equals(values.get(i))) {
        right++;
      }
    }
    return right;
  }

  /** The final specification's score: the share of the known attributes it gets right (1 when none are known). */
  public double score(Map<Integer, String> values) {
    int k = knowable();
    return k == 0 ? 1.0 : (double) right(values) / k;
  }

  /** The user's opening line for {@code spec}. */
  public static String opening(IntentSpec spec) {
    return String.format(IntentReplies.OPENING, spec.description());
  }

  /** What the user says when it cannot read a message, for {@code reason}. */
  public static String notUnderstood(String reason) {
    return IntentReplies.notUnderstood(reason);
  }

  /** What the user says to a final specification that gets {@code right} of its {@code knowable} attributes. */
  public static String verdict(int right, int knowable) {
    return right == knowable ? "Thanks, that is exactly what I want."
        : "Thanks. You got " + right + " of the " + knowable + " things I care about right.";
  }
}
