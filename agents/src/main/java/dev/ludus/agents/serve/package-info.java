/**
 * {@code ludus serve}: an OpenAI-compatible HTTP server for Ludus's own in-process models ({@link
 * dev.ludus.agents.serve.ModelServer}).
 */
package dev.ludus.agents.serve;
