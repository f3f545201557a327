package dev.ludus.runner.rm;

import dev.ludus.agents.djl.ForwardingLmTokenizer;
import dev.ludus.agents.djl.LmTokenizer;
import java.util.HashMap;
import java.util.Map;

/**
 * A tokenizer that encodes each distinct text once and then answers from a memo: for one scoring call, in which the
 * chat template encodes message by message, so every turn's conversation so far re-encodes the earlier messages and
 * every episode of a batch the same system prompt. Gives exactly the delegate's ids, and forwards everything else
 * (its special ids and chat template included). Not thread-safe: one call's; closing it leaves the delegate open.
 */
final class MemoTokenizer extends ForwardingLmTokenizer {
  private final Map<String, int[]> memo = new HashMap<>();

  MemoTokenizer(LmTokenizer delegate) {
    super(delegate);
  }

  /** The delegate's ids of {@code text}, shared between calls (callers do not change them). */
  @Override
  public int[] encode(String text) {
    return memo.computeIfAbsent(text, delegate()::encode);
  }
}
