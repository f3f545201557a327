package dev.ludus.runner.rm;

import dev.ludus.agents.djl.LmTokenizer;
import dev.ludus.api.Role;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A tokenizer that encodes each distinct text once and then answers from a memo: for one scoring call, in which the
 * chat template encodes message by message, so every turn's conversation so far re-encodes the earlier messages and
 * every episode of a batch the same system prompt. Gives exactly the delegate's ids. Not thread-safe: one call's;
 * closing it leaves the delegate open.
 */
final class MemoTokenizer implements LmTokenizer {
  private final LmTokenizer delegate;
  private final Map<String, int[]> memo = new HashMap<>();

  MemoTokenizer(LmTokenizer delegate) {
    this.delegate = delegate;
  }

  /** The delegate's ids of {@code text}, shared between calls (callers do not change them). */
  @Override
  public int[] encode(String text) {
    return memo.computeIfAbsent(text, delegate::encode);
  }

  @Override
  public int vocabSize() {
    return delegate.vocabSize();
  }

  @Override
  public String decode(int[] ids) {
    return delegate.decode(ids);
  }

  @Override
  public int padId() {
    return delegate.padId();
  }

  @Override
  public int bosId() {
    return delegate.bosId();
  }

  @Override
  public int eosId() {
    return delegate.eosId();
  }

  @Override
  public OptionalInt roleId(Role role) {
    return delegate.roleId(role);
  }

  @Override
  public OptionalInt unkId() {
    return delegate.unkId();
  }

  @Override
  public String toJson() {
    return delegate.toJson();
  }
}
