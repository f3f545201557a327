package dev.ludus.environments.tools.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A kind of sandbox: its methods, how to sample an initial state, how to read a state back from JSON, and the
 * goals its tasks may ask for ({@link Intent}s). Stateless and thread-safe: the state lives in records.
 */
abstract class Sandbox<S extends SandboxState> {
  static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** The registered name, e.g. {@code files}. */
  abstract String name();

  /** One line for the agent and for {@code involved_classes}. */
  abstract String description();

  abstract Class<S> stateType();

  abstract List<Operation<S>> operations();

  /** A random initial state. */
  abstract S sample(SplittableRandom random);

  /** The state written by {@link SandboxState#toJson()}. */
  abstract S fromJson(JsonNode json);

  /** Goals on {@code state}, each with its gold calls; see {@link Intents}. */
  abstract List<Intent.Template<S>> intents();

  static Intent.Call call(String name, Object... kv) {
    ObjectNode args = obj();
    for (int i = 0; i < kv.length; i += 2) {
      String k = (String) kv[i];
      Object v = kv[i + 1];
      if (v instanceof String str) {
        args.put(k, str);
      } else if (v instanceof Integer n) {
        args.put(k, n);
      } else if (v instanceof Long n) {
        args.put(k, n);
      } else if (v instanceof java.math.BigDecimal d) {
        args.put(k, d);
      } else if (v instanceof Double d) {
        args.put(k, d);
      } else if (v instanceof Boolean b) {
        args.put(k, b);
      } else if (v instanceof JsonNode n) {
        args.set(k, n);
      } else {
        throw new IllegalArgumentException("unsupported argument " + k + "=" + v);
      }
    }
    return new Intent.Call(name, args);
  }

  static <T> List<T> shuffled(List<T> in, SplittableRandom r) {
    List<T> out = new java.util.ArrayList<>(in);
    for (int i = out.size() - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      T t = out.get(i);
      out.set(i, out.get(j));
      out.set(j, t);
    }
    return out;
  }

  static ObjectNode obj() {
    return F.objectNode();
  }

  @SuppressWarnings("unchecked")
  final S cast(SandboxState state) {
    if (!stateType().isInstance(state)) {
      throw new IllegalArgumentException("sandbox '" + name() + "' got a state of " + state.sandbox());
    }
    return (S) state;
  }
}
