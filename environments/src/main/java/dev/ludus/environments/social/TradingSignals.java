package dev.ludus.environments.social;

import dev.ludus.api.SignalKey;

/** The signals of {@code trading}, published per seat (besides {@code success} and {@code invalid-action}). */
public final class TradingSignals {
  private TradingSignals() {}

  /**
   * The seat's private values per unit, as its opening shows them ({@code Wheat:5 Wood:11 Sheep:14 Brick:27 Ore:38});
   * published at the start. Secret: no other seat may read it.
   */
  public static final SignalKey<String> VALUES = SignalKey.secret("values", String.class);

  /** After every trade and at the end: the seat's inventory value now minus at the start, at its own values. */
  public static final SignalKey<Integer> INVENTORY_GAIN = SignalKey.of("inventory-gain", Integer.class);

  /** At the end: trades made in the game. */
  public static final SignalKey<Integer> TRADES = SignalKey.of("trades", Integer.class);

  /** At the end: {@code win}, {@code loss} or {@code draw} (also {@code success}, true on a win). */
  public static final SignalKey<String> OUTCOME = SignalKey.of("outcome", String.class);
}
