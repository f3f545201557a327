package dev.ludus.simulators.questions;

import dev.ludus.api.Task;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What the rule-based twenty-questions user and its LLM-driven twin share: how the target is drawn for a task, and
 * the fixed lines said without reading a question (the opening, the replies to guesses and to messages it cannot
 * read). Stateless and thread-safe.
 */
public final class TwentyQuestionsRules {
  private TwentyQuestionsRules() {}

  /**
   * The target for {@code task}: its {@code target} field when it has one (it must name an item of {@code pool}),
   * else an item of {@code pool} drawn from the task seed.
   *
   * @throws IllegalArgumentException when the task names an item not in play, listing those in play
   */
  public static Item target(List<Item> pool, Task task) {
    String wanted = task.fields().get("target");
    if (wanted == null) {
      return pool.get(new SplittableRandom(task.seed()).nextInt(pool.size()));
    }
    return Catalogue.find(wanted).filter(pool::contains).orElseThrow(() -> new IllegalArgumentException("task "
        + task.id() + ": target '" + wanted + "' is not in play; allowed: "
        + String.join(", ", new Candidates(pool).names())));
  }

  public static String opening() {
    return TwentyQuestionsUser.OPENING;
  }

  /** The reply to a guess naming the target {@code target}. */
  public static String rightGuess(Item target) {
    return "Yes! It is the " + target.name() + ". You got it.";
  }

  /** The reply to a guess naming another item. */
  public static String wrongGuess() {
    return TwentyQuestionsUser.WRONG;
  }

  /** The reply to a message the grammar cannot read, for {@code reason}. */
  public static String notUnderstood(String reason) {
    return TwentyQuestionsUser.notUnderstood(reason);
  }
}
