package dev.ludus.environments.tools.sandbox;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The state of one sandbox: an immutable record that a call replaces with a new one. Immutable and thread-safe.
 *
 * <p>Two views: {@link #toJson()} is all of it (what BFCL's {@code initial_config} holds for a class), and
 * {@link #publicJson()} is what BFCL's multi-turn state check compares (the public attributes: a file tree, a
 * balance, an order book), leaving out private bookkeeping such as the current directory.
 */
public interface SandboxState {
  /** The sandbox's name, e.g. {@code files}. */
  String sandbox();

  /** The whole state as JSON, readable back by the sandbox. */
  JsonNode toJson();

  /** The public part of the state, which the state check compares. */
  JsonNode publicJson();
}
