package dev.ludus.runner.cli;

import dev.ludus.runner.cli.CliRun.Outcome;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line of {@code serve-env}, of {@code --metrics-port} and of {@code bench serve}: bad input refused with
 * exit code 2.
 */
@MicronautTest
class ServeAndMetricsCliTest {
  @Inject ApplicationContext context;


  private Outcome ludus(String... args) {
    return CliRun.in(context, args);
  }

  @Test
  void serveEnvRefusesAnExposedHostWithoutAToken() {
    Outcome o = ludus("serve-env", "guess-number", "--host", "0.0.0.0", "--token", "");
    assertEquals(2, o.code(), o.out() + o.err());
    assertTrue(o.err().contains("--token"), o.err());
  }

  @Test
  void serveEnvNamesAnUnknownEnvironment() {
    Outcome o = ludus("serve-env", "no-such-env", "--port", "0");
    assertEquals(2, o.code(), o.out() + o.err());
    assertTrue(o.err().contains("no-such-env"), o.err());
  }

  @Test
  void aRolloutServesItsMetricsWhileItRuns(@TempDir Path dir) {
    Outcome o = ludus("rollout", "--env", "guess-number", "--agent", "random", "--episodes", "4", "--concurrency",
        "2", "--metrics-port", "0", "--no-progress", "--out", dir.toString());
    assertEquals(0, o.code(), o.out() + o.err());
    assertTrue(o.out().contains("metrics: http://127.0.0.1:"), o.out());
  }

  @Test
  void benchServePrintsTheRatioAndHowTheServedSequencesWereBatchedPerDecodingStep() {
    Outcome o = ludus("bench", "serve", "--concurrent", "6", "--tokens", "3", "--rounds", "1", "--max-wait-millis",
        "0", "--warmup-pairs", "2", "--load", "continuous", "--per-client", "2");
    assertEquals(0, o.code(), o.out() + o.err());
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("ratio +([0-9.]+) +\\(sequences per decoding step: "
        + "in-process ([0-9.]+), served ([0-9.]+); ([0-9]+) served sequences joined a running batch\\)")
        .matcher(o.out());
    assertTrue(m.find(), o.out());
    assertTrue(Double.parseDouble(m.group(1)) > 0, o.out());
    assertTrue(Double.parseDouble(m.group(2)) >= 1 && Double.parseDouble(m.group(2)) <= 6, o.out());
    assertTrue(Integer.parseInt(m.group(4)) <= 12, "at most the round's sequences joined: " + o.out());
    assertTrue(o.out().contains("served with a 0 ms gathering wait"), o.out());
    assertTrue(o.out().contains("continuous load (2 requests per client a round, each sent on the last's answer)"),
        o.out());
    for (String group : new String[] {"batching worker", "answer thread", "event loops", "whole process"}) {
      assertTrue(java.util.regex.Pattern.compile("\n +" + group + " +[0-9.]+ / +[0-9.]+").matcher(o.out()).find(),
          group + ": " + o.out());
    }
    assertTrue(o.out().contains("after 2 warm-up pairs of rounds; JIT compilers "), o.out());
    for (String phase : new String[] {"start to first arrival at the worker", "first arrival to first admission",
        "first admission to last decoding step", "last step to round end"}) {
      assertTrue(java.util.regex.Pattern.compile("\n +" + java.util.regex.Pattern.quote(phase)
          + " +[0-9.]+ / +[0-9.]+").matcher(o.out()).find(), phase + ": " + o.out());
    }
  }

  @Test
  void benchServeRefusesAWarmUpThatIsNeitherAutoNorOneTo500Pairs() {
    for (String bad : new String[] {"0", "501", "1000", "some"}) {
      Outcome o = ludus("bench", "serve", "--warmup-pairs", bad);
      assertEquals(2, o.code(), o.out() + o.err());
      assertTrue(o.err().contains("--warmup-pairs must be auto or a whole number 1 to 500, was " + bad), o.err());
    }
  }

  @Test
  void benchServeRefusesAnUnknownLoadOrRequestsPerClientOutOfRange() {
    Outcome load = ludus("bench", "serve", "--load", "sometimes");
    assertEquals(2, load.code(), load.out() + load.err());
    assertTrue(load.err().contains("--load must be continuous or rounds, was sometimes"), load.err());
    Outcome perClient = ludus("bench", "serve", "--per-client", "0");
    assertEquals(2, perClient.code(), perClient.out() + perClient.err());
    assertTrue(perClient.err().contains("--per-client must be 1 to 1000, was 0"), perClient.err());
  }

  @Test
  void benchServeRefusesANonPositiveCount() {
    Outcome o = ludus("bench", "serve", "--concurrent", "0");
    assertEquals(2, o.code(), o.out() + o.err());
    assertTrue(o.err().contains("concurrent"), o.err());
  }

  @Test
  void benchServeRefusesANegativeGatheringWait() {
    Outcome o = ludus("bench", "serve", "--max-wait-millis", "-1");
    assertEquals(2, o.code(), o.out() + o.err());
    assertTrue(o.err().contains("max-wait-millis must be in [0, 60000], was -1"), o.err());
  }
}
