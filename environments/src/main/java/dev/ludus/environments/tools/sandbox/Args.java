package dev.ludus.environments.tools.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Typed reading of a call's arguments, which the dispatcher has already checked against the tool's JSON Schema.
 * A missing or mistyped argument still gets a {@link SandboxError} naming it (gold calls from files are executed
 * without the dispatcher). Not thread-safe; one per call.
 */
final class Args {
  private final ObjectNode node;

  Args(ObjectNode node) {
    this.node = node;
  }

  String str(String name) {
    JsonNode v = node.get(name);
    if (v == null || !v.isTextual()) {
      throw new SandboxError("argument '" + name + "' must be a string");
    }
    return v.textValue();
  }

  Optional<String> optStr(String name) {
    JsonNode v = node.get(name);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(str(name));
  }

  long integer(String name) {
    JsonNode v = node.get(name);
    if (v == null || !v.isNumber() || !isIntegral(v)) {
      throw new SandboxError("argument '" + name + "' must be an integer");
    }
    return v.decimalValue().longValueExact();
  }

  Optional<Long> optInteger(String name) {
    JsonNode v = node.get(name);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(integer(name));
  }

  BigDecimal number(String name) {
    JsonNode v = node.get(name);
    if (v == null || !v.isNumber()) {
      throw new SandboxError("argument '" + name + "' must be a number");
    }
    return v.decimalValue();
  }

  double real(String name) {
    return number(name).doubleValue();
  }

  Optional<BigDecimal> optNumber(String name) {
    JsonNode v = node.get(name);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(number(name));
  }

  boolean bool(String name, boolean otherwise) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return otherwise;
    }
    if (!v.isBoolean()) {
      throw new SandboxError("argument '" + name + "' must be true or false");
    }
    return v.booleanValue();
  }

  List<Double> reals(String name) {
    JsonNode v = node.get(name);
    if (v == null || !v.isArray()) {
      throw new SandboxError("argument '" + name + "' must be an array of numbers");
    }
    List<Double> out = new ArrayList<>();
    for (JsonNode e : v) {
      if (!e.isNumber()) {
        throw new SandboxError("argument '" + name + "' must hold numbers only");
      }
      out.add(e.decimalValue().doubleValue());
    }
    return out;
  }

  /** An amount of money with at most two decimals, in cents; positive. */
  long cents(String name) {
    BigDecimal amount = number(name);
    if (amount.signum() <= 0) {
      throw new SandboxError("argument '" + name + "' must be positive, was " + amount.toPlainString());
    }
    try {
      return amount.movePointRight(2).longValueExact();
    } catch (ArithmeticException e) {
      throw new SandboxError("argument '" + name + "' has more than two decimals: " + amount.toPlainString());
    }
  }

  private static boolean isIntegral(JsonNode v) {
    if (v.isIntegralNumber()) {
      return true;
    }
    BigDecimal d = v.decimalValue();
    return d.signum() == 0 || d.stripTrailingZeros().scale() <= 0;
  }
}
