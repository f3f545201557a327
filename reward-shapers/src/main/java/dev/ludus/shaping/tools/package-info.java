/**
 * Shapers for tool use that read an environment's verdicts: {@code bfcl} turns BFCL's binary checks (AST, state,
 * response) that a tool-use environment publishes as signals into separate ledger components. ToolRL's reward,
 * which compares calls with gold calls itself, is the {@code tool-call} shaper of {@code dev.ludus.shaping.text}.
 */
package dev.ludus.shaping.tools;
