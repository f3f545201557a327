/**
 * Tool calls written in text: {@link dev.ludus.api.tools.ToolCallParser} reads them (hermes
 * {@code <tool_call>} blocks, or JSON call objects) into a {@link dev.ludus.api.tools.ParseResult},
 * and {@link dev.ludus.api.tools.ToolCallValidator} checks a call against the offered tools' JSON
 * Schemas. Everything else in the package is internal.
 */
package dev.ludus.api.tools;
