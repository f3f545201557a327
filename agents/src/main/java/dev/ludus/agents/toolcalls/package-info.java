/**
 * Tool calls written in text: {@link dev.ludus.agents.toolcalls.ToolCallParser} reads them (hermes
 * {@code <tool_call>} blocks, or JSON call objects) into a {@link dev.ludus.agents.toolcalls.ParseResult},
 * and {@link dev.ludus.agents.toolcalls.ToolCallValidator} checks a call against the offered tools' JSON
 * Schemas. Everything else in the package is internal.
 */
package dev.ludus.agents.toolcalls;
