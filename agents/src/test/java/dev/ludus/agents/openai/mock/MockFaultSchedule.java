package dev.ludus.agents.openai.mock;

/**
 * Which requests fail, by request index (0 for the first chat-completion request the server receives,
 * counting retries). Consulted before the responder; a null answer lets the responder answer. Must not block.
 *
 * <p>A test double: see {@link MockOpenAiServer}.
 */
@FunctionalInterface
public interface MockFaultSchedule {
  /** The fault for request {@code index}, or null to answer normally. */
  MockFault faultFor(int index);

  /** Never fails. */
  static MockFaultSchedule none() {
    return index -> null;
  }

  /** The first {@code k} requests fail with {@code fault}; later ones are answered. */
  static MockFaultSchedule firstK(int k, MockFault fault) {
    return index -> index < k ? fault : null;
  }

  /** Every request fails with {@code fault}. */
  static MockFaultSchedule always(MockFault fault) {
    return index -> fault;
  }
}
