package dev.ludus.shaping.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Episode;
import dev.ludus.api.RewardContribution;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.ShaperProvider;
import dev.ludus.api.SignalKey;
import dev.ludus.api.Signals;
import dev.ludus.shaping.testing.EpisodeBuilder;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BfclShaperTest {
  static final SignalKey<Boolean> AST = SignalKey.of("bfcl-ast", Boolean.class);
  static final SignalKey<Boolean> STATE = SignalKey.of("bfcl-state", Boolean.class);
  static final SignalKey<Boolean> RESPONSE = SignalKey.of("bfcl-response", Boolean.class);

  static RewardShaper shaper() {
    return new BfclShaperProvider().create(BfclShaperProvider.Config.defaults());
  }

  @Test
  void eachCheckIsItsOwnComponentOnTheTurnsWhereItRan() {
    Episode e = EpisodeBuilder.on("t")
        .turn("call", 0, Signals.of(AST, true))
        .turn("reply", 0, Signals.builder().put(STATE, true).put(RESPONSE, false).build())
        .turn("call", 0, Signals.empty())
        .turn("reply", 0, Signals.builder().put(STATE, false).put(RESPONSE, true).build())
        .build();
    List<RewardContribution> cs = shaper().shape(e);
    assertEquals(List.of(new RewardContribution(0, "ast", 1.0), new RewardContribution(1, "state", 1.0),
        new RewardContribution(1, "response", 0.0), new RewardContribution(3, "state", 0.0),
        new RewardContribution(3, "response", 1.0)), cs);
  }

  @Test
  void readsTheSignalsItIsConfiguredWith_andRefusesANonBoolean() {
    RewardShaper custom = new BfclShaperProvider().create(new BfclShaperProvider.Config("my-ast", null, null));
    assertEquals(Set.of(SignalKey.of("my-ast", Boolean.class), SignalKey.of("bfcl-state", Boolean.class),
        SignalKey.of("bfcl-response", Boolean.class)), custom.requiredSignals());
    Episode e = EpisodeBuilder.on("t").turn("x", 0, Signals.of(SignalKey.of("my-ast", String.class), "yes")).build();
    IllegalStateException ex = assertThrows(IllegalStateException.class, () -> custom.shape(e));
    assertTrue(ex.getMessage().contains("my-ast"), ex.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new BfclShaperProvider.Config("Not Kebab", null, null));
  }

  @Test
  void isRegisteredByNameWithItsPaper() {
    ShaperProvider<?> p = ServiceLoader.load(ShaperProvider.class).stream().map(ServiceLoader.Provider::get)
        .filter(x -> x.name().equals("bfcl")).findFirst().orElseThrow();
    assertTrue(p.reference().contains("[CODE"), p.reference());
    assertTrue(!p.formula().contains("\n") && !p.description().isBlank());
  }
}
