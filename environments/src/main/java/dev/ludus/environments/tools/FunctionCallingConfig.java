package dev.ludus.environments.tools;

import dev.ludus.api.PluginRef;
import dev.ludus.api.tools.ToolCallParser;
import dev.ludus.environments.tools.sandbox.Sandboxes;
import dev.ludus.simulators.scripted.ScriptedUserProvider;
import java.util.List;
import java.util.Locale;

/**
 * The configuration of {@code function-calling}. Immutable; validated on construction, naming the bad field, its
 * value and what is allowed.
 *
 * @param categories the generated task categories in play (wire names, e.g. {@code [simple, multi-turn]}); empty
 *     (the default) for all six
 * @param sandboxes the sandboxes in play ({@code files, messages, bank, trading, travel, tickets, math, memory});
 *     empty (the default) for all
 * @param maxTurns the most agent messages per episode before it is truncated; 1 to 1000, default 24
 * @param callTimeLimitMillis each tool call's time limit in milliseconds; 1 to 60000, default 1000
 * @param textCalls how calls written in text are read when a message has no native {@code tool_calls}:
 *     {@code hermes} ({@code <tool_call>{...}</tool_call>}, the default), {@code json}, or {@code none} (native
 *     calls only)
 * @param user the simulated user, a registered simulator: a name or {@code {name: ..., config: {...}}}; default
 *     {@code scripted-user}
 * @param dataset tasks from a file in a standard format instead of generated ones; null (the default) to generate
 * @param oracleTextCalls whether the oracle writes its calls as text in the {@code textCalls} format instead of
 *     native {@code tool_calls} (for an imitation warm start of a policy that writes its calls as text, as
 *     {@code ludus train}'s djl-lm does); default false
 * @param systemPrompt the system message that opens generated tasks and BFCL and xLAM questions (ToolRL rows
 *     bring their own); null for the default, which says to call tools, end a turn with a plain reply, ask for a
 *     missing detail and refuse what no tool does; empty for none (a small policy's context is short)
 */
public record FunctionCallingConfig(List<String> categories, List<String> sandboxes, int maxTurns,
    long callTimeLimitMillis, String textCalls, PluginRef user, Dataset dataset, boolean oracleTextCalls,
    String systemPrompt) {

  /** The default simulated user. */
  static final PluginRef DEFAULT_USER = PluginRef.of(ScriptedUserProvider.NAME);

  /**
   * Tasks read from a file.
   *
   * @param format {@code bfcl} (a BFCL question file, single- or multi-turn, with its {@code possible_answer/}
   *     beside it, or a directory of {@code BFCL_*.json} files), {@code xlam} (xLAM rows: {@code query}, {@code answers},
   *     {@code tools}), or {@code toolrl} (ToolRL rows: {@code instruction}, {@code input}, {@code output})
   * @param path the file or directory
   */
  public record Dataset(String format, String path) {
    /** The formats a dataset may be in. */
    public static final List<String> FORMATS = List.of("bfcl", "xlam", "toolrl");

    public Dataset {
      format = format == null ? "" : format.trim().toLowerCase(Locale.ROOT);
      if (!FORMATS.contains(format)) {
        throw new IllegalArgumentException("dataset.format must be one of " + String.join(", ", FORMATS)
            + ", was '" + format + "'");
      }
      if (path == null || path.isBlank()) {
        throw new IllegalArgumentException("dataset.path must name a file or directory");
      }
    }
  }

  public FunctionCallingConfig {
    categories = categories == null ? List.of() : List.copyOf(categories);
    for (String c : categories) {
      try {
        Category.fromWire(c);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("categories: " + e.getMessage(), e);
      }
    }
    sandboxes = sandboxes == null ? List.of() : List.copyOf(sandboxes);
    for (String s : sandboxes) {
      if (!Sandboxes.names().contains(s)) {
        throw new IllegalArgumentException("sandboxes: unknown sandbox '" + s + "'; allowed: "
            + String.join(", ", Sandboxes.names()));
      }
    }
    if (maxTurns < 1 || maxTurns > 1000) {
      throw new IllegalArgumentException("maxTurns must be between 1 and 1000, was " + maxTurns);
    }
    if (callTimeLimitMillis < 1 || callTimeLimitMillis > 60_000) {
      throw new IllegalArgumentException("callTimeLimitMillis must be between 1 and 60000, was "
          + callTimeLimitMillis);
    }
    textCalls = textCalls == null ? "hermes" : textCalls.trim().toLowerCase(Locale.ROOT);
    if (!textCalls.equals("none") && !ToolCallParser.FORMATS.contains(textCalls)) {
      throw new IllegalArgumentException("textCalls must be one of " + String.join(", ", ToolCallParser.FORMATS)
          + " or none, was '" + textCalls + "'");
    }
    user = user == null ? DEFAULT_USER : user;
    systemPrompt = systemPrompt == null ? Scenarios.SYSTEM_PROMPT : systemPrompt;
    if (oracleTextCalls && textCalls.equals("none")) {
      throw new IllegalArgumentException("oracleTextCalls needs a textCalls format (hermes or json), not none");
    }
  }

  /** Every category and sandbox, 24 turns, 1 s per call, hermes text calls, the scripted user, generated tasks. */
  public static FunctionCallingConfig defaults() {
    return new FunctionCallingConfig(List.of(), List.of(), 24, 1000, "hermes", DEFAULT_USER, null, false,
        Scenarios.SYSTEM_PROMPT);
  }

  /** This configuration restricted to {@code categories} (wire names) and {@code sandboxes}; empty for all. */
  public FunctionCallingConfig with(List<String> newCategories, List<String> newSandboxes) {
    return new FunctionCallingConfig(newCategories, newSandboxes, maxTurns, callTimeLimitMillis, textCalls, user,
        dataset, oracleTextCalls, systemPrompt);
  }

  /** This configuration reading its tasks from {@code newDataset} (null to generate them). */
  public FunctionCallingConfig withDataset(Dataset newDataset) {
    return new FunctionCallingConfig(categories, sandboxes, maxTurns, callTimeLimitMillis, textCalls, user, newDataset,
        oracleTextCalls, systemPrompt);
  }

  /** This configuration with another text-call format ({@code hermes}, {@code json} or {@code none}). */
  public FunctionCallingConfig withTextCalls(String format) {
    return new FunctionCallingConfig(categories, sandboxes, maxTurns, callTimeLimitMillis, format, user, dataset,
        oracleTextCalls && !"none".equals(format), systemPrompt);
  }

  /** This configuration with another call time limit. */
  public FunctionCallingConfig withCallTimeLimitMillis(long millis) {
    return new FunctionCallingConfig(categories, sandboxes, maxTurns, millis, textCalls, user, dataset,
        oracleTextCalls, systemPrompt);
  }

  /** This configuration with another simulated user. */
  public FunctionCallingConfig withUser(PluginRef newUser) {
    return new FunctionCallingConfig(categories, sandboxes, maxTurns, callTimeLimitMillis, textCalls, newUser, dataset,
        oracleTextCalls, systemPrompt);
  }

  /** This configuration with the oracle writing its calls as text or not. */
  public FunctionCallingConfig withOracleTextCalls(boolean text) {
    return new FunctionCallingConfig(categories, sandboxes, maxTurns, callTimeLimitMillis, textCalls, user, dataset,
        text, systemPrompt);
  }

  /** This configuration with another system prompt (empty for none). */
  public FunctionCallingConfig withSystemPrompt(String prompt) {
    return new FunctionCallingConfig(categories, sandboxes, maxTurns, callTimeLimitMillis, textCalls, user, dataset,
        oracleTextCalls, prompt);
  }

  /** The categories in play. */
  List<Category> categoriesInPlay() {
    return categories.isEmpty() ? List.of(Category.values()) : categories.stream().map(Category::fromWire).toList();
  }

  /** The sandboxes in play. */
  List<String> sandboxesInPlay() {
    return sandboxes.isEmpty() ? Sandboxes.names() : sandboxes;
  }

  /** The text-call parser, or null for native calls only. */
  ToolCallParser parser() {
    return textCalls.equals("none") ? null : ToolCallParser.of(textCalls);
  }
}
