package dev.ludus.environments.tools.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.tools.StrictJson;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The sandboxes of one episode and their states: an immutable value, so that a call gives a new world and the
 * goal of a task is a world too. Calls are pure functions of the world and the arguments; nothing outside the
 * records is read or written (no file, no network, no clock but the virtual ones). Thread-safe.
 *
 * @param states sandbox name to state
 */
public record World(SortedMap<String, SandboxState> states) {
  public World {
    states = Collections.unmodifiableSortedMap(new TreeMap<>(states));
  }

  /** The result of a call: the world after it and the tool's answer as canonical JSON text. */
  public record Result(World world, String content) {}

  /** A world of {@code sandboxes}, each in a random initial state drawn from {@code random}. */
  public static World sample(Collection<String> sandboxes, SplittableRandom random) {
    TreeMap<String, SandboxState> m = new TreeMap<>();
    for (String name : Sandboxes.names()) {
      if (sandboxes.contains(name)) {
        m.put(name, Sandboxes.sandbox(name).sample(random.split()));
      }
    }
    for (String name : sandboxes) {
      Sandboxes.sandbox(name); // fails on an unknown name
    }
    return new World(m);
  }

  /**
   * Reads a world written by {@link #toJson()} (BFCL's {@code initial_config}: sandbox name to its state).
   *
   * @throws IllegalArgumentException naming an unknown sandbox or a malformed state
   */
  public static World fromJson(JsonNode initialConfig) {
    if (initialConfig == null || !initialConfig.isObject()) {
      throw new IllegalArgumentException("initial_config must be an object of sandbox name to state");
    }
    TreeMap<String, SandboxState> m = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : initialConfig.properties()) {
      m.put(e.getKey(), Sandboxes.sandbox(e.getKey()).fromJson(e.getValue()));
    }
    return new World(m);
  }

  /** Sandbox name to whole state, as BFCL's {@code initial_config}. */
  public ObjectNode toJson() {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    states.forEach((k, v) -> out.set(k, v.toJson()));
    return out;
  }

  /** Sandbox name to public state: what the state check compares. */
  public ObjectNode publicJson() {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    states.forEach((k, v) -> out.set(k, v.publicJson()));
    return out;
  }

  /** The sandboxes in this world. */
  public Set<String> sandboxes() {
    return states.keySet();
  }

  /**
   * Runs {@code tool} on this world.
   *
   * @throws SandboxError when the tool refuses (its message is for the agent), names a sandbox not in this world,
   *     or names no tool at all
   */
  public Result call(String tool, ObjectNode arguments) {
    Operation<?> op = Sandboxes.operation(tool);
    if (op == null) {
      throw new SandboxError("unknown tool '" + tool + "'");
    }
    String sandbox = Sandboxes.sandboxOf(tool).orElseThrow();
    SandboxState state = states.get(sandbox);
    if (state == null) {
      throw new SandboxError("tool '" + tool + "' belongs to the " + sandbox + " sandbox, which is not in use");
    }
    return run(op, state, arguments);
  }

  private <S extends SandboxState> Result run(Operation<S> op, SandboxState state, ObjectNode arguments) {
    @SuppressWarnings("unchecked")
    S typed = (S) state;
    Operation.Outcome<S> out = op.body().apply(typed, new Args(arguments.deepCopy()));
    TreeMap<String, SandboxState> m = new TreeMap<>(states);
    m.put(state.sandbox(), out.state());
    return new Result(new World(m), StrictJson.canonical(out.result()));
  }

  /** BFCL's state check: every sandbox's public state equals the other world's. */
  public boolean samePublicState(World other) {
    return StrictJson.equal(publicJson(), other.publicJson());
  }

  /**
   * How far this world's public state is from {@code goal}'s: the size of the symmetric difference of their facts,
   * a fact being one leaf of the public state with its path ({@code files/root/alex/contents/a.txt/content=...});
   * an array's elements count as facts of the array whatever their position. 0 iff the public states are equal.
   */
  public int distance(World goal) {
    Set<String> a = facts(publicJson());
    Set<String> b = facts(goal.publicJson());
    Set<String> onlyA = new HashSet<>(a);
    onlyA.removeAll(b);
    Set<String> onlyB = new HashSet<>(b);
    onlyB.removeAll(a);
    return onlyA.size() + onlyB.size();
  }

  private static Set<String> facts(JsonNode json) {
    Set<String> out = new HashSet<>();
    flatten("", json, out);
    return out;
  }

  private static void flatten(String path, JsonNode n, Set<String> out) {
    if (n.isObject()) {
      if (n.isEmpty()) {
        out.add(path + "={}");
      }
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        flatten(path + "/" + e.getKey(), e.getValue(), out);
      }
    } else if (n.isArray()) {
      if (n.isEmpty()) {
        out.add(path + "=[]");
      }
      for (JsonNode e : n) {
        out.add(path + "[]=" + StrictJson.canonical(e));
      }
    } else {
      out.add(path + "=" + StrictJson.canonical(n));
    }
  }

  /**
   * An intent on {@code sandbox}'s state that {@code accept} takes, from up to {@code tries} randomly chosen
   * templates; empty if none.
   */
  public Optional<Intent> sampleIntent(String sandbox, SplittableRandom random, Predicate<Intent> accept, int tries) {
    SandboxState state = states.get(sandbox);
    if (state == null) {
      throw new IllegalArgumentException("sandbox '" + sandbox + "' is not in this world");
    }
    return sample(Sandboxes.sandbox(sandbox), state, random, accept, tries);
  }

  private static <S extends SandboxState> Optional<Intent> sample(Sandbox<S> sandbox, SandboxState state,
      SplittableRandom random, Predicate<Intent> accept, int tries) {
    S typed = sandbox.cast(state);
    List<Intent.Template<S>> templates = sandbox.intents();
    for (int i = 0; i < tries; i++) {
      Optional<Intent> intent = templates.get(random.nextInt(templates.size())).sample(typed, random);
      if (intent.isPresent() && accept.test(intent.get())) {
        return intent;
      }
    }
    return Optional.empty();
  }
}
