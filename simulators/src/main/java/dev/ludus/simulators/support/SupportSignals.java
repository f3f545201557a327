package dev.ludus.simulators.support;

import dev.ludus.api.SignalKey;
import dev.ludus.api.StandardSignals;
import java.util.List;

/**
 * The signals the emotional-support user publishes. Never shown to the agent.
 *
 * <ul>
 *   <li>{@link StandardSignals#EMOTION}: the emotion score, 0 to 100, at the start and after every turn (what the
 *       {@code emotion-delta} shaper reads);
 *   <li>{@link #BAND} (secret): the emotion band, S, A, B, C or F;
 *   <li>{@link #NEED}, {@link #THEME}, {@link #TABOOS} (secret): the hidden need, theme and taboo moves;
 *   <li>{@link #PROFILE}: the profile's id;
 *   <li>{@link #FIT}: how the last turn fit the need ({@link Fit#wireName()}; absent after an unreadable one);
 *   <li>{@link #MOVES}: the moves the last turn was read as;
 *   <li>{@link StandardSignals#INVALID_ACTION}: why the last message could not be read.
 * </ul>
 */
public final class SupportSignals {
  private SupportSignals() {}

  public static final SignalKey<String> BAND = SignalKey.secret("emotion-band", String.class);
  public static final SignalKey<String> NEED = SignalKey.secret("hidden-need", String.class);
  public static final SignalKey<String> THEME = SignalKey.secret("hidden-theme", String.class);
  public static final SignalKey<List<String>> TABOOS =
      new SignalKey<>("taboo-moves", listType(), true, String.class);
  public static final SignalKey<String> PROFILE = SignalKey.of("profile", String.class);
  public static final SignalKey<String> FIT = SignalKey.of("support-fit", String.class);
  public static final SignalKey<List<String>> MOVES = SignalKey.listOf("support-moves", String.class);

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Class<List<String>> listType() {
    return (Class) List.class;
  }

  /** Every key the user may publish. */
  public static List<SignalKey<?>> all() {
    return List.of(StandardSignals.EMOTION, BAND, NEED, THEME, TABOOS, PROFILE, FIT, MOVES,
        StandardSignals.INVALID_ACTION);
  }
}
