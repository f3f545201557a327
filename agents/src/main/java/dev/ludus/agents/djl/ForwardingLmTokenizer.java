package dev.ludus.agents.djl;

import dev.ludus.api.Role;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A tokenizer that forwards every call to another, for a subclass to change one behaviour (a memo of encodings, a
 * fault in a test) without restating the rest, and without losing what the delegate overrides ({@link #specialIds},
 * {@link #chatTemplate}). Thread-safety is the delegate's unless the subclass says otherwise. Life-cycle: closing it
 * leaves the delegate open; whoever created the delegate closes it.
 */
public abstract class ForwardingLmTokenizer implements LmTokenizer {
  private final LmTokenizer delegate;

  /** Forwards to {@code delegate}. */
  protected ForwardingLmTokenizer(LmTokenizer delegate) {
    this.delegate = java.util.Objects.requireNonNull(delegate, "delegate");
  }

  /** The tokenizer this one forwards to. */
  protected final LmTokenizer delegate() {
    return delegate;
  }

  @Override
  public int vocabSize() {
    return delegate.vocabSize();
  }

  @Override
  public int[] encode(String text) {
    return delegate.encode(text);
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

  @Override
  public void save(Path file) {
    delegate.save(file);
  }

  @Override
  public int[] specialIds() {
    return delegate.specialIds();
  }

  @Override
  public Optional<PromptRenderer> chatTemplate() {
    return delegate.chatTemplate();
  }

  /** Leaves the delegate open (see the class's life-cycle). */
  @Override
  public void close() {}
}
