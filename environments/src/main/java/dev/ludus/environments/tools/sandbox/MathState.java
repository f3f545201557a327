package dev.ludus.environments.tools.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** The math sandbox has no state (BFCL's {@code MathAPI} neither): every instance is equal. */
public record MathState() implements SandboxState {
  @Override
  public String sandbox() {
    return MathSandbox.NAME;
  }

  @Override
  public JsonNode toJson() {
    return JsonNodeFactory.instance.objectNode();
  }

  @Override
  public JsonNode publicJson() {
    return JsonNodeFactory.instance.objectNode();
  }
}
