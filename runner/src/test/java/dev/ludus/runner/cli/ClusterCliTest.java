package dev.ludus.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.runner.cluster.ClusterOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cluster options as the CLI takes them: bad input is refused with exit code 2, naming what is wrong. */
class ClusterCliTest {
  @Test
  void aMemberRangeIsRefusedNamingTheEntryAndTheWayToWriteIt() {
    CliRun.Outcome o = CliRun.main(new String[] {"rollout", "--env", "guess-number", "--episodes", "2",
        "--cluster", "127.0.0.1:5701-5703", "--no-progress"});
    assertEquals(2, o.code(), o.err());
    assertTrue(o.err().contains("'127.0.0.1:5701-5703'") && o.err().contains("not a range"), o.err());
  }

  @Test
  void aWorkerWithoutMembersIsRefused() {
    CliRun.Outcome o = CliRun.main("worker");
    assertEquals(2, o.code(), o.err());
    assertTrue(o.err().contains("--cluster MEMBERS"), o.err());
  }

  @Test
  void aLeaseTimeoutWithoutAClusterIsRefused() {
    CliRun.Outcome o = CliRun.main(new String[] {"rollout", "--env", "guess-number", "--episodes", "2",
        "--lease-timeout", "5000", "--no-progress"});
    assertEquals(2, o.code(), o.err());
    assertTrue(o.err().contains("--lease-timeout applies with --cluster only"), o.err());
  }

  @Test
  void membersParseAsOneEntryPerPort() {
    assertEquals(List.of("127.0.0.1:5701", "10.0.0.2:5701"),
        ClusterOptions.parseMembers(" 127.0.0.1:5701, 10.0.0.2:5701 ,"));
  }
}
