package dev.ludus.environments.tools;

import dev.ludus.api.ToolSpec;
import dev.ludus.api.tools.ToolCallValidator;
import dev.ludus.api.tools.ValidationResult;
import dev.ludus.environments.tools.Scenario.Executable;
import dev.ludus.environments.tools.Scenario.PlannedTurn;
import dev.ludus.environments.tools.sandbox.Intent;
import dev.ludus.environments.tools.sandbox.SandboxError;
import dev.ludus.environments.tools.sandbox.Sandboxes;
import dev.ludus.environments.tools.sandbox.World;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * Generates executable tasks from a seed: picks a category, samples the sandboxes' initial state and, per user
 * turn, a goal (an {@link Intent} of a sandbox, on the state the previous turn left), then plans the gold by
 * executing its calls: a goal whose calls do not all succeed is drawn again, so every task is executable by
 * construction, and the goal state and the gold results come from the execution. Deterministic in the seed and
 * the categories and sandboxes in play. Stateless.
 */
final class ScenarioGenerator {
  private ScenarioGenerator() {}

  /** Requests no sandbox tool can serve, for irrelevance tasks and turns. */
  static final List<String> IRRELEVANT = List.of("What's the weather going to be like in Lisbon tomorrow?",
      "Translate 'good morning' into Italian.", "Who painted the Mona Lisa?",
      "Can you recommend a good science fiction novel?", "How tall is Mount Everest?",
      "Write me a haiku about autumn.", "What time zone is Singapore in?", "Order a large pizza for delivery.",
      "Play some jazz music.", "Set an alarm for 6 am tomorrow.", "What's the capital of Australia?",
      "Book me a table for two at an Italian restaurant tonight.", "Tell me a joke about penguins.",
      "How do I say thank you in Japanese?");

  private static final int TRIES = 60;

  /** The executable task of {@code seed} among {@code categories} and {@code sandboxes}. */
  static Executable generate(List<Category> categories, List<String> sandboxes, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    for (int attempt = 0; attempt < TRIES; attempt++) {
      Category c = pickCategory(categories, r);
      Optional<Executable> s = switch (c) {
        case SIMPLE, MULTIPLE, PARALLEL, MISSING_ARGUMENT -> singleGoal(c, sandboxes, r);
        case IRRELEVANCE -> irrelevance(sandboxes, r);
        case MULTI_TURN -> multiTurn(sandboxes, r);
      };
      if (s.isPresent()) {
        return s.get();
      }
    }
    throw new IllegalStateException("no task could be generated for seed " + seed + " with categories " + categories
        + " and sandboxes " + sandboxes);
  }

  private static Category pickCategory(List<Category> categories, SplittableRandom r) {
    double total = categories.stream().mapToDouble(Category::weight).sum();
    double x = r.nextDouble() * total;
    for (Category c : categories) {
      x -= c.weight();
      if (x < 0) {
        return c;
      }
    }
    return categories.get(categories.size() - 1);
  }

  private static Optional<Executable> singleGoal(Category c, List<String> sandboxes, SplittableRandom r) {
    String sandbox = pick(r, sandboxes);
    List<String> involved = new ArrayList<>(List.of(sandbox));
    if (c == Category.MULTIPLE && sandboxes.size() > 1 && r.nextBoolean()) {
      involved.add(pick(r, sandboxes.stream().filter(s -> !s.equals(sandbox)).toList()));
    }
    World world = World.sample(involved, r.split());
    Predicate<Intent> accept = switch (c) {
      case PARALLEL -> Intent::isParallel;
      case MISSING_ARGUMENT -> i -> i.isSingleCall() && i.withheld().isPresent();
      default -> Intent::isSingleCall;
    };
    Optional<Intent> intent = world.sampleIntent(sandbox, r, accept, TRIES);
    if (intent.isEmpty()) {
      return Optional.empty();
    }
    Optional<PlannedTurn> turn = plan(world, intent.get(), c == Category.MISSING_ARGUMENT);
    if (turn.isEmpty()) {
      return Optional.empty();
    }
    String gold = intent.get().calls().get(0).name();
    List<ToolSpec> tools = new ArrayList<>(List.of(Sandboxes.spec(gold).orElseThrow()));
    if (c == Category.MULTIPLE || c == Category.MISSING_ARGUMENT) {
      List<ToolSpec> others = new ArrayList<>();
      for (String s : involved) {
        Sandboxes.tools(s).stream().filter(t -> !t.name().equals(gold)).forEach(others::add);
      }
      int extra = c == Category.MULTIPLE ? 2 + r.nextInt(3) : r.nextInt(3);
      tools.addAll(shuffled(others, r).subList(0, Math.min(extra, others.size())));
      tools = shuffled(tools, r);
    }
    return Optional.of(new Executable(c.wireName(), world, tools, List.of(turn.get())));
  }

  private static Optional<Executable> irrelevance(List<String> sandboxes, SplittableRandom r) {
    String sandbox = pick(r, sandboxes);
    World world = World.sample(List.of(sandbox), r.split());
    List<ToolSpec> all = Sandboxes.tools(sandbox);
    List<ToolSpec> tools = shuffled(all, r).subList(0, Math.min(all.size(), 1 + r.nextInt(3)));
    PlannedTurn turn = new PlannedTurn(pick(r, IRRELEVANT), Optional.empty(), List.of(), world, List.of());
    return Optional.of(new Executable(Category.IRRELEVANCE.wireName(), world, tools, List.of(turn)));
  }

  private static Optional<Executable> multiTurn(List<String> sandboxes, SplittableRandom r) {
    List<String> stateful = sandboxes.stream().filter(s -> !s.equals("math")).toList();
    List<String> pool = stateful.isEmpty() ? sandboxes : stateful;
    Set<String> involved = new LinkedHashSet<>();
    involved.add(pick(r, pool));
    if (pool.size() > 1 && r.nextInt(3) == 0) {
      involved.add(pick(r, pool));
    }
    World world = World.sample(involved, r.split());
    World initial = world;
    int n = 2 + r.nextInt(3);
    List<PlannedTurn> turns = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (i > 0 && r.nextInt(8) == 0) {
        turns.add(new PlannedTurn(pick(r, IRRELEVANT), Optional.empty(), List.of(), world, List.of()));
        continue;
      }
      String sandbox = pick(r, new ArrayList<>(involved));
      Optional<PlannedTurn> turn = Optional.empty();
      for (int t = 0; t < 5 && turn.isEmpty(); t++) {
        Optional<Intent> intent = world.sampleIntent(sandbox, r, x -> true, TRIES);
        if (intent.isPresent()) {
          boolean withhold = intent.get().withheld().isPresent() && r.nextInt(4) == 0;
          turn = plan(world, intent.get(), withhold);
        }
      }
      if (turn.isEmpty()) {
        return Optional.empty();
      }
      turns.add(turn.get());
      world = turn.get().goal();
    }
    List<ToolSpec> tools = new ArrayList<>();
    involved.forEach(s -> tools.addAll(Sandboxes.tools(s)));
    return Optional.of(new Executable(Category.MULTI_TURN.wireName(), initial, tools, turns));
  }

  /**
   * The turn of {@code intent} on {@code world}, its gold executed; empty when a gold call fails.
   *
   * @throws IllegalStateException when a gold call breaks its tool's schema (a bug in the intent's template)
   */
  static Optional<PlannedTurn> plan(World world, Intent intent, boolean withhold) {
    World w = world;
    List<String> results = new ArrayList<>();
    for (Intent.Call call : intent.calls()) {
      ToolSpec spec = Sandboxes.spec(call.name()).orElseThrow();
      ValidationResult v = ToolCallValidator.shared().validate(
          dev.ludus.api.ToolCall.of("gold", call.name(), call.argumentsJson()), List.of(spec));
      if (!v.valid()) {
        throw new IllegalStateException("gold call " + call + " breaks its schema: " + v.describe());
      }
      try {
        World.Result res = w.call(call.name(), call.arguments());
        results.add(res.content());
        w = res.world();
      } catch (SandboxError e) {
        return Optional.empty();
      }
    }
    Optional<Intent.Withheld> held = withhold ? intent.withheld() : Optional.empty();
    return Optional.of(new PlannedTurn(held.map(Intent.Withheld::request).orElse(intent.request()),
        held.map(Intent.Withheld::fact), intent.steps(), w, results));
  }

  private static <T> T pick(SplittableRandom r, List<T> options) {
    return options.get(r.nextInt(options.size()));
  }

  private static <T> List<T> shuffled(List<T> in, SplittableRandom r) {
    List<T> out = new ArrayList<>(in);
    for (int i = out.size() - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      T t = out.get(i);
      out.set(i, out.get(j));
      out.set(j, t);
    }
    return out;
  }
}
