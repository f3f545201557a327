package dev.ludus.runner.worlds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.LedgerEntry;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.Turn;
import dev.ludus.runner.cli.Ludus;
import dev.ludus.runner.store.EpisodeReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * End-to-end rollouts of the oracle under {@code outcome} plus {@code info-gain} at weight 0.5, through the CLI, and
 * the laws each episode's ledger keeps, for the tests of every environment that publishes candidate entropy.
 */
final class InfoGainRollouts {
  /** The number of episodes a rollout plays. */
  static final int EPISODES = 12;

  private InfoGainRollouts() {}

  /** The episodes of {@code ludus rollout --env ENV [ENV_ARGS...]} with the oracle, read back from the run's file. */
  static List<Episode> oracleEpisodes(Path dir, String env, String... envArgs) throws Exception {
    Path shaping = Files.writeString(dir.resolve("shaping.yaml"), """
        shapers:
          - name: outcome
          - name: info-gain
            weight: 0.5
        """);
    List<String> args = new ArrayList<>(List.of("rollout", "--env", env));
    args.addAll(List.of(envArgs));
    args.addAll(List.of("--agent", "oracle", "--episodes", String.valueOf(EPISODES), "--concurrency", "6",
        "--shaping", shaping.toString(), "--out", dir.resolve("runs").toString(), "--no-progress"));
    assertEquals(0, Ludus.run(args.toArray(String[]::new)));
    Path run;
    try (Stream<Path> runs = Files.list(dir.resolve("runs"))) {
      run = runs.findFirst().orElseThrow();
    }
    List<Episode> episodes = EpisodeReader.readAll(run.resolve("episodes.jsonl"));
    assertEquals(EPISODES, episodes.size());
    return episodes;
  }

  /**
   * {@code e} completed with success, has one info-gain entry per turn whose raw gains telescope to the entropy
   * removed ({@code H_0 − H_T}), some positive, each weighted 0.5; returns the episode's last outcome entry.
   */
  static LedgerEntry assertGainsTelescope(Episode e) {
    assertEquals(EpisodeStatus.COMPLETED, e.status());
    assertTrue(e.success());
    List<LedgerEntry> gains = e.ledger().stream().filter(l -> l.source().equals("info-gain")).toList();
    assertEquals(e.turns().size(), gains.size(), "one info-gain entry per turn");
    double h0 = e.startSignals().get(StandardSignals.CANDIDATE_ENTROPY).orElseThrow();
    Turn last = e.turns().get(e.turns().size() - 1);
    double hT = last.signals().get(StandardSignals.CANDIDATE_ENTROPY).orElseThrow();
    assertEquals(h0 - hT, gains.stream().mapToDouble(LedgerEntry::raw).sum(), 1e-9,
        "information gains telescope to H_0 - H_T");
    assertTrue(gains.stream().anyMatch(l -> l.raw() > 0), "answers shrink the candidate set");
    assertTrue(gains.stream().allMatch(l -> Math.abs(l.value() - 0.5 * l.raw()) < 1e-12), "weight 0.5 applied");
    List<LedgerEntry> outcome = e.ledger().stream().filter(l -> l.source().equals("outcome")).toList();
    return outcome.get(outcome.size() - 1);
  }
}
