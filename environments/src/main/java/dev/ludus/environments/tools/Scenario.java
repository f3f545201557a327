package dev.ludus.environments.tools;

import dev.ludus.api.Message;
import dev.ludus.api.ToolSpec;
import dev.ludus.environments.tools.sandbox.Intent;
import dev.ludus.environments.tools.sandbox.World;
import dev.ludus.simulators.scripted.UserScript;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one task is, built from its fields (a row of a dataset) or generated from its seed: either an
 * {@link Executable} conversation whose calls run in sandboxes, or a {@link SingleTurn} question whose first
 * answer is checked without running anything (BFCL single-turn, xLAM, ToolRL rows). Immutable.
 */
sealed interface Scenario permits Scenario.Executable, Scenario.SingleTurn {

  /** The category: a {@link Category} wire name, or the dataset's own (e.g. BFCL's {@code live_simple}). */
  String category();

  /** The tools offered. */
  List<ToolSpec> tools();

  /**
   * One user turn, planned by executing its gold calls from the world the previous turn left.
   *
   * @param request what the user asks (without the held-back detail, if any)
   * @param fact the detail the user holds back and gives when asked, if any
   * @param steps the gold calls, in messages (empty for a turn where no tool fits: the agent must not call)
   * @param goal the world after the gold calls
   * @param goldResults the gold calls' results (canonical JSON), for the response check
   */
  record PlannedTurn(String request, Optional<Intent.Fact> fact, List<List<Intent.Call>> steps, World goal,
      List<String> goldResults) {
    public PlannedTurn {
      Objects.requireNonNull(request, "request");
      Objects.requireNonNull(fact, "fact");
      steps = steps.stream().map(List::copyOf).toList();
      Objects.requireNonNull(goal, "goal");
      goldResults = List.copyOf(goldResults);
    }

    List<Intent.Call> calls() {
      return steps.stream().flatMap(List::stream).toList();
    }
  }

  /**
   * A conversation with a simulated user on sandboxes.
   *
   * @param category the category
   * @param initial the sandboxes' initial states
   * @param tools the tools offered
   * @param turns the user's turns, planned
   */
  record Executable(String category, World initial, List<ToolSpec> tools, List<PlannedTurn> turns)
      implements Scenario {
    public Executable {
      Objects.requireNonNull(category, "category");
      Objects.requireNonNull(initial, "initial");
      tools = List.copyOf(tools);
      turns = List.copyOf(turns);
      if (turns.isEmpty()) {
        throw new IllegalArgumentException("a scenario needs at least one turn");
      }
    }

    /** The script the simulated user follows. */
    UserScript script() {
      List<UserScript.Turn> out = new ArrayList<>();
      for (PlannedTurn t : turns) {
        out.add(new UserScript.Turn(t.request(), t.fact().map(f -> List.of(new UserScript.Fact(f.name(), f.keywords(),
            f.answer()))).orElse(List.of())));
      }
      return new UserScript(out);
    }

    /**
     * Whether BFCL's single-turn AST check applies: a generated task of a single-turn category (one turn, one
     * message of calls or none).
     */
    boolean astChecked() {
      boolean singleTurnCategory = java.util.Arrays.stream(Category.values())
          .anyMatch(c -> c.singleTurn() && c.wireName().equals(category));
      return singleTurnCategory && turns.size() == 1 && turns.get(0).fact().isEmpty()
          && turns.get(0).steps().size() <= 1;
    }
  }

  /**
   * A single-turn question, checked on the agent's first message.
   *
   * @param format the dataset format ({@code bfcl}, {@code xlam}, {@code toolrl})
   * @param category BFCL's category (e.g. {@code simple}, {@code parallel_multiple}, {@code irrelevance}); for
   *     xLAM {@code parallel}, for ToolRL {@code toolrl}
   * @param prompt the messages before the agent's answer
   * @param tools the tools offered
   * @param docs the functions as BFCL's checker sees them
   * @param possible the accepted calls; empty when no call is expected (irrelevance, a ToolRL response)
   * @param gold one correct answer's calls (the first accepted value of each parameter), for the oracle
   */
  record SingleTurn(String format, String category, List<Message> prompt, List<ToolSpec> tools, List<FunctionDoc> docs,
      List<BfclChecker.PossibleCall> possible, List<Intent.Call> gold) implements Scenario {
    public SingleTurn {
      prompt = List.copyOf(prompt);
      tools = List.copyOf(tools);
      docs = List.copyOf(docs);
      possible = List.copyOf(possible);
      gold = List.copyOf(gold);
    }
  }
}
