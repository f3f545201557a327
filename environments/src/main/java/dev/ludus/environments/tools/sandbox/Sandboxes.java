package dev.ludus.environments.tools.sandbox;

import dev.ludus.api.ToolSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The catalogue of built-in sandboxes and their tools. Every tool name is unique across sandboxes, so a call
 * names its sandbox. Immutable and thread-safe.
 */
public final class Sandboxes {
  private Sandboxes() {}

  private static final List<Sandbox<?>> ALL = List.of(new FileSystemSandbox(), new MessagingSandbox(),
      new BankSandbox(), new TradingSandbox(), new TravelSandbox(), new TicketSandbox(), new MathSandbox(),
      new MemorySandbox());

  private static final Map<String, Sandbox<?>> BY_NAME = new LinkedHashMap<>();
  private static final Map<String, Sandbox<?>> BY_TOOL = new LinkedHashMap<>();
  private static final Map<String, Operation<?>> OPERATIONS = new LinkedHashMap<>();

  static {
    for (Sandbox<?> s : ALL) {
      BY_NAME.put(s.name(), s);
      for (Operation<?> op : s.operations()) {
        if (BY_TOOL.put(op.name(), s) != null) {
          throw new IllegalStateException("two sandboxes offer a tool named " + op.name());
        }
        OPERATIONS.put(op.name(), op);
      }
    }
  }

  /** The sandboxes' names, in a fixed order: files, messages, bank, trading, travel, tickets, math, memory. */
  public static List<String> names() {
    return List.copyOf(BY_NAME.keySet());
  }

  /** The tools of {@code sandbox}, in a fixed order. */
  public static List<ToolSpec> tools(String sandbox) {
    List<ToolSpec> out = new ArrayList<>();
    for (Operation<?> op : sandbox(sandbox).operations()) {
      out.add(op.spec());
    }
    return out;
  }

  /** The spec of {@code tool}, if a sandbox offers it. */
  public static Optional<ToolSpec> spec(String tool) {
    return Optional.ofNullable(OPERATIONS.get(tool)).map(Operation::spec);
  }

  /** The sandbox that offers {@code tool}, if any. */
  public static Optional<String> sandboxOf(String tool) {
    return Optional.ofNullable(BY_TOOL.get(tool)).map(Sandbox::name);
  }

  /** One line on what {@code sandbox} does. */
  public static String description(String sandbox) {
    return sandbox(sandbox).description();
  }

  static Sandbox<?> sandbox(String name) {
    Sandbox<?> s = BY_NAME.get(name);
    if (s == null) {
      throw new IllegalArgumentException("unknown sandbox '" + name + "'; known: " + String.join(", ", BY_NAME.keySet()));
    }
    return s;
  }

  static Operation<?> operation(String tool) {
    return OPERATIONS.get(tool);
  }
}
