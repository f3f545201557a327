package dev.ludus.environments.tools.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.ToolSpec;
import java.util.Objects;

/**
 * One method of a sandbox, exposed as a tool: its spec (name, description, JSON Schema) and a pure function from
 * a state and arguments to the next state and a JSON result. A refusal throws {@link SandboxError}. Immutable.
 */
record Operation<S extends SandboxState>(ToolSpec spec, Body<S> body) {
  Operation {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(body, "body");
  }

  static <S extends SandboxState> Operation<S> of(String name, String description, Params params, Body<S> body) {
    return new Operation<>(new ToolSpec(name, description, params.json()), body);
  }

  String name() {
    return spec.name();
  }

  /** The function behind an operation. */
  @FunctionalInterface
  interface Body<S extends SandboxState> {
    Outcome<S> apply(S state, Args args);
  }

  /** The state after the call and what the call answered. */
  record Outcome<S extends SandboxState>(S state, ObjectNode result) {
    Outcome {
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(result, "result");
    }
  }
}
