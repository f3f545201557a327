package dev.ludus.environments.tools.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.tools.StrictJson;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A goal a user may ask a sandbox for, sampled on a state: the request in words and the gold calls that achieve
 * it, in steps (the calls of one step can be made together in one message; a later step may need an earlier
 * step's result, as {@code get_user_id} before {@code send_message}). The planner executes the gold to get the
 * goal state and the gold results, so a task is executable by construction. Immutable.
 *
 * @param request what the user says
 * @param steps the gold calls, step by step (at least one step, none empty)
 * @param withheld the same request with one required detail left out, and that detail as a {@link Fact} the
 *     user gives when asked; empty when the intent has no such variant
 */
public record Intent(String request, List<List<Call>> steps, Optional<Withheld> withheld) {
  public Intent {
    Objects.requireNonNull(request, "request");
    steps = steps.stream().map(List::copyOf).toList();
    if (steps.isEmpty() || steps.stream().anyMatch(List::isEmpty)) {
      throw new IllegalArgumentException("an intent needs at least one step, and no empty step");
    }
    Objects.requireNonNull(withheld, "withheld");
  }

  static Intent of(String request, List<List<Call>> steps) {
    return new Intent(request, steps, Optional.empty());
  }

  static Intent single(String request, Call call) {
    return of(request, List.of(List.of(call)));
  }

  Intent withholding(String requestWithout, Fact fact) {
    return new Intent(request, steps, Optional.of(new Withheld(requestWithout, fact)));
  }

  /** Every gold call, step after step. */
  public List<Call> calls() {
    return steps.stream().flatMap(List::stream).toList();
  }

  /** Whether the intent is one call. */
  public boolean isSingleCall() {
    return steps.size() == 1 && steps.get(0).size() == 1;
  }

  /** Whether the intent is one step of several calls of the same function (BFCL's parallel). */
  public boolean isParallel() {
    return steps.size() == 1 && steps.get(0).size() > 1
        && steps.get(0).stream().map(Call::name).distinct().count() == 1;
  }

  /**
   * A call of a tool with arguments. Immutable: the arguments are copied in and out.
   *
   * @param name the tool
   * @param arguments the arguments object
   */
  public record Call(String name, ObjectNode arguments) {
    public Call {
      Objects.requireNonNull(name, "name");
      arguments = arguments.deepCopy();
    }

    @Override
    public ObjectNode arguments() {
      return arguments.deepCopy();
    }

    /** The arguments as canonical JSON text. */
    public String argumentsJson() {
      return StrictJson.canonical(arguments);
    }

    @Override
    public String toString() {
      return name + argumentsJson();
    }
  }

  /**
   * A detail the user knows and says when the agent asks for it.
   *
   * @param name what the detail is, e.g. {@code amount}
   * @param keywords words a question about it contains (any one suffices, case-insensitive), e.g.
   *     {@code [amount, how much]}
   * @param answer what the user says when asked, e.g. {@code "It's 250 dollars."}
   */
  public record Fact(String name, List<String> keywords, String answer) {
    public Fact {
      Objects.requireNonNull(name, "name");
      keywords = List.copyOf(keywords);
      Objects.requireNonNull(answer, "answer");
      if (keywords.isEmpty()) {
        throw new IllegalArgumentException("a fact needs at least one keyword");
      }
    }
  }

  /**
   * A request with a required detail left out, and the detail.
   *
   * @param request the request without the detail
   * @param fact the detail
   */
  public record Withheld(String request, Fact fact) {
    public Withheld {
      Objects.requireNonNull(request, "request");
      Objects.requireNonNull(fact, "fact");
    }
  }

  /** Samples intents of one kind on a state. Stateless. */
  @FunctionalInterface
  interface Template<S extends SandboxState> {
    /** An intent on {@code state}, or empty when the state does not allow one (no file to read, ...). */
    Optional<Intent> sample(S state, SplittableRandom random);
  }

  /** One of {@code options}, uniformly. */
  @SafeVarargs
  static <T> T pick(SplittableRandom random, T... options) {
    return options[random.nextInt(options.length)];
  }

  static <T> T pick(SplittableRandom random, List<T> options) {
    return options.get(random.nextInt(options.size()));
  }
}
