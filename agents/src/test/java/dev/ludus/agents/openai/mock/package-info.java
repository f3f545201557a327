/**
 * A test double of an OpenAI-compatible chat-completions server: a real Vert.x HTTP server on loopback that
 * speaks the wire format (tool calls, log-probs, vLLM's token-id extensions) and misbehaves on request
 * (5xx, 429 with {@code Retry-After}, malformed JSON, truncated bodies, hangs). Test code: it ships in the
 * {@code agents} test-fixtures jar ({@code <type>test-jar</type>}), which other modules' tests use; the
 * {@code ludus bench} commands that need it launch {@link dev.ludus.agents.openai.mock.MockOpenAiServer#main} in a
 * process of their own, from the fixtures jar the runner's build copies to {@code runner/target/fixtures}.
 */
package dev.ludus.agents.openai.mock;
