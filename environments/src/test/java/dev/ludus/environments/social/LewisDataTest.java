package dev.ludus.environments.social;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Message;
import dev.ludus.api.Task;
import dev.ludus.api.TaskSource;
import dev.ludus.api.testing.EnvTestKit;
import dev.ludus.api.testing.EnvTestKit.Match;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The loader of the original end-to-end-negotiator files, on small hand-written files in their format. */
class LewisDataTest {
  static Path resource(String name) {
    try {
      return Path.of(LewisDataTest.class.getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void dialogueLinesGiveTheWritersContextToAliceAndThePartnersToBobWithExactRepeatsKeptOnce() {
    List<Deal> deals = LewisData.read(resource("lewis-sample.txt"));
    assertEquals(4, deals.size(), "five lines, one an exact repeat of the first");
    assertEquals(new Deal(new Split(1, 4, 1), new Split(4, 1, 2), new Split(0, 2, 2)), deals.get(0));
    assertEquals(new Deal(new Split(1, 4, 1), new Split(0, 2, 2), new Split(4, 1, 2)), deals.get(1),
        "the same dialogue from the other side is another seat assignment");
    assertEquals(new Deal(new Split(2, 1, 2), new Split(2, 6, 0), new Split(0, 2, 4)), deals.get(3));
  }

  @Test
  void selfPlayFilesPairConsecutiveBareContexts() {
    List<Deal> deals = LewisData.read(resource("lewis-selfplay-sample.txt"));
    assertEquals(List.of(new Deal(new Split(1, 4, 1), new Split(4, 1, 2), new Split(0, 2, 2)),
        new Deal(new Split(3, 2, 1), new Split(1, 2, 3), new Split(2, 2, 0))), deals);
  }

  @Test
  void badLinesAreRefusedWithTheirLineNumber() {
    ConfigException counts = assertThrows(ConfigException.class, () -> LewisData.parse(List.of(
        "<input> 1 4 4 1 1 2 </input> <partner_input> 2 0 4 2 1 2 </partner_input>"), "f.txt"));
    assertTrue(counts.getMessage().startsWith("f.txt line 1: the two contexts disagree on the counts"),
        counts.getMessage());
    ConfigException junk = assertThrows(ConfigException.class, () -> LewisData.parse(List.of("", "hello"), "f.txt"));
    assertTrue(junk.getMessage().startsWith("f.txt line 2 is not a Deal or No Deal line"), junk.getMessage());
    ConfigException odd = assertThrows(ConfigException.class, () -> LewisData.parse(List.of("1 4 4 1 1 2"), "f.txt"));
    assertTrue(odd.getMessage().contains("without its partner's"), odd.getMessage());
    ConfigException config = assertThrows(ConfigException.class, () -> new DealOrNoDealProvider().tasks(
        new DealOrNoDealConfig(10, "lewis", "/no/such/file.txt")));
    assertTrue(config.getMessage().startsWith("cannot read the deal-or-no-deal file"), config.getMessage());
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> new DealOrNoDealConfig(10, "lewis", null));
    assertTrue(missing.getMessage().startsWith("path is required when data is 'lewis'"), missing.getMessage());
  }

  @Test
  void aLoadedFileIsPlayedTaskByTaskWithEachSeatSeeingItsOwnValues() {
    DealOrNoDealConfig config = new DealOrNoDealConfig(10, "lewis", resource("lewis-sample.txt").toString());
    TaskSource tasks = new DealOrNoDealProvider().tasks(config);
    Set<String> ids = new HashSet<>();
    for (long i = 0; i < 8; i++) {
      ids.add(tasks.task(i, 0).id());
    }
    assertEquals(4, ids.size(), "the tasks cycle through the file's four contexts");
    assertEquals(tasks.task(3, 5), tasks.task(3, 5));
    Task first = tasks.task(0, 0);
    assertEquals(Map.of("input", "1 4 4 1 1 2", "partner-input", "1 0 4 2 1 2"), first.fields());
    BoundEnvironment env = new DealOrNoDealProvider().bind(config);
    Match m = EnvTestKit.playMatch(env, Map.of("alice", env.bots().get("fair"), "bob", env.bots().get("fair")), first,
        1, 100);
    String alice = m.conversations().get("alice").get(1).content();
    assertTrue(alice.startsWith("Items: book=1 hat=4 ball=1. Your values: book:4 hat:1 ball:2"), alice);
    String bob = m.conversations().get("bob").get(1).content();
    assertTrue(bob.startsWith("Items: book=1 hat=4 ball=1. Your values: book:0 hat:2 ball:2"), bob);
    assertTrue(m.succeeded("alice") && m.succeeded("bob"), m.conversations().toString());
    assertEquals(Map.of("values", "book:4 hat:1 ball:2"), m.start().seats().get("alice").privateInfo());
    assertTrue(m.conversations().get("bob").stream().map(Message::content).noneMatch(c -> c.contains("book:4 hat:1")));
  }
}
