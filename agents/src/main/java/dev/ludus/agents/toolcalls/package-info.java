/**
 * Tool calls a model writes in its text, read for any agent backend: {@link
 * dev.ludus.agents.toolcalls.TextToolCalls} turns them into native {@code tool_calls} with env-api's one
 * parser and validator ({@link dev.ludus.api.tools.ToolCallParser}, {@link
 * dev.ludus.api.tools.ToolCallValidator}).
 */
package dev.ludus.agents.toolcalls;
