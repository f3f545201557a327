/**
 * A test double of an OpenAI-compatible chat-completions server: a real Vert.x HTTP server on loopback that
 * speaks the wire format (tool calls, log-probs, vLLM's token-id extensions) and misbehaves on request
 * (5xx, 429 with {@code Retry-After}, malformed JSON, truncated bodies, hangs). It lives in main code, not
 * test code, so that the throughput benchmark can launch it in its own process; nothing in Ludus talks to it
 * outside tests and benchmarks.
 */
package dev.ludus.agents.openai.mock;
