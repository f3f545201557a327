/**
 * Tools: what an environment offers the agent to call, and the one reader of tool calls that environments,
 * agent backends and shapers share.
 *
 * <ul>
 *   <li>{@link dev.ludus.api.tools.Tool}: a runnable tool (its spec, a time limit, an asynchronous call
 *       giving a {@link dev.ludus.api.tools.ToolResult}); {@code Tool.of(...)} makes a synchronous one in a
 *       few lines.
 *   <li>{@link dev.ludus.api.tools.ToolDispatcher}: turns an assistant message's calls (native
 *       {@code tool_calls}, or text) into tool messages and the standard signals {@code tool-call-valid}
 *       and {@code tool-error} (a {@link dev.ludus.api.tools.ToolDispatch}).
 *   <li>{@link dev.ludus.api.tools.ToolCallParser}: reads tool calls written in text (hermes
 *       {@code <tool_call>} blocks, or JSON call objects) into a {@link dev.ludus.api.tools.ParseResult},
 *       renders calls in the same format, and writes the system-prompt block that lists the tools.
 *   <li>{@link dev.ludus.api.tools.ToolCallValidator}: checks a call against the offered tools' JSON Schemas.
 *   <li>{@link dev.ludus.api.tools.StrictJson}: the strict JSON reading and comparison they all use.
 * </ul>
 *
 * <p>Everything else in the package is internal.
 */
package dev.ludus.api.tools;
