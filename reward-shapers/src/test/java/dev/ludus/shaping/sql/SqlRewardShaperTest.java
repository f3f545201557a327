package dev.ludus.shaping.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Episode;
import dev.ludus.api.LedgerEntry;
import dev.ludus.api.RewardContribution;
import dev.ludus.api.RewardShaper;
import dev.ludus.api.ShaperProvider;
import dev.ludus.api.SignalKey;
import dev.ludus.api.Signals;
import dev.ludus.shaping.ShapingPipeline;
import dev.ludus.shaping.testing.EpisodeBuilder;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SqlRewardShaperTest {
  private final SqlRewardShaperProvider provider = new SqlRewardShaperProvider();

  private static Signals rewards(double execution, double syntax, double format) {
    return Signals.builder()
        .put(SignalKey.of("sql-reward-execution", Double.class), execution)
        .put(SignalKey.of("sql-reward-syntax", Double.class), syntax)
        .put(SignalKey.of("sql-reward-xml-count", Double.class), format)
        .put(SignalKey.of("sql-rows", Integer.class), 3)
        .build();
  }

  private static Episode episode() {
    return EpisodeBuilder.on("q").turn("<sql>SELECT 1</sql>", 0.0, Signals.of(SignalKey.of("sql-rows", Integer.class), 1))
        .turn("<solution>SELECT 1</solution>", 1.0, rewards(3.0, 1.0, 0.494)).build();
  }

  @Test
  void eachComponentTheFinalStepPublishesIsItsOwnContribution() {
    List<RewardContribution> out = provider.create(provider.defaultConfig()).shape(episode());
    assertEquals(List.of(new RewardContribution(1, "execution", 3.0), new RewardContribution(1, "syntax", 1.0),
        new RewardContribution(1, "xml-count", 0.494)), out);
  }

  @Test
  void onlyTheConfiguredComponentsAreWritten() {
    RewardShaper skyrlOnly = provider.create(new SqlRewardShaperProvider.Config(List.of("skyrl", "syntax")));
    assertEquals(List.of(new RewardContribution(1, "syntax", 1.0)), skyrlOnly.shape(episode()));
    assertEquals(Set.of(SignalKey.of("sql-reward-skyrl", Double.class), SignalKey.of("sql-reward-syntax", Double.class)),
        skyrlOnly.requiredSignals());
    assertEquals(RewardShaper.Scope.TURN, skyrlOnly.scope());
  }

  @Test
  void theLedgerKeepsEveryComponentApart() {
    ShapingPipeline pipeline = ShapingPipeline.builder().shaper("sql-reward", provider.create(provider.defaultConfig()), 1)
        .build();
    Episode scored = pipeline.score(episode());
    List<String> components = scored.ledger().stream().map(LedgerEntry::component).distinct().sorted().toList();
    assertEquals(List.of("execution", "syntax", "xml-count"), components);
    assertEquals(3.0 + 1.0 + 0.494, ShapingPipeline.turnRewards(scored)[1], 1e-12);
  }

  @Test
  void badConfigurationsNameTheFieldAndWhatIsAllowed() {
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> new SqlRewardShaperProvider.Config(List.of("exec")));
    assertTrue(unknown.getMessage().contains("'exec'") && unknown.getMessage().contains("schema-linking"));
    assertThrows(IllegalArgumentException.class, () -> new SqlRewardShaperProvider.Config(List.of()));
    assertThrows(IllegalArgumentException.class, () -> new SqlRewardShaperProvider.Config(List.of("ngram", "ngram")));
  }

  @Test
  void aComponentThatIsNotANumberFailsNamingIt() {
    Episode e = EpisodeBuilder.on("q").turn("x", 0.0, Signals.of(SignalKey.of("sql-reward-ngram", String.class), "high"))
        .build();
    IllegalStateException bad = assertThrows(IllegalStateException.class,
        () -> provider.create(provider.defaultConfig()).shape(e));
    assertTrue(bad.getMessage().contains("sql-reward-ngram"), bad.getMessage());
  }

  @Test
  void itIsRegisteredAndCitesItsPapers() {
    ShaperProvider<?> found = ServiceLoader.load(ShaperProvider.class).stream().map(ServiceLoader.Provider::get)
        .filter(p -> p.name().equals("sql-reward")).findFirst().orElseThrow();
    assertTrue(found.reference().contains("Reasoning-SQL") && found.reference().contains("SkyRL"));
  }
}
