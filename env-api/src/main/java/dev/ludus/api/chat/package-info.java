/**
 * The chat-client contract: one OpenAI-compatible chat-completions endpoint, shared by everything that talks
 * to a model over HTTP (the {@code openai} agent, LLM-driven simulated users, LLM judges).
 *
 * <p>{@link dev.ludus.api.chat.ChatClient} sends a typed {@link dev.ludus.api.chat.ChatRequest} (messages in
 * the project's {@link dev.ludus.api.Message} format, tools, sampling) and answers with a typed {@link
 * dev.ludus.api.chat.ChatResult}: a completion or a failure as a value, never an exception.
 * {@link dev.ludus.api.chat.ChatEndpoint} describes where the endpoint is and the limits its client keeps
 * (timeout, retries, breaker, concurrency cap, cache). The implementation lives in the {@code agents} module
 * ({@code dev.ludus.agents.openai.ChatClientPool}); a plugin that only needs a client depends on this package
 * alone.
 */
package dev.ludus.api.chat;
