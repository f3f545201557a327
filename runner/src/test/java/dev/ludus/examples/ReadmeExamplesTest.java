package dev.ludus.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.EnvChecker;
import dev.ludus.api.Message;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.Task;
import dev.ludus.api.testing.EnvTestKit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's examples are this compiled code, verbatim, and they work. */
class ReadmeExamplesTest {
  private static final Path README = Path.of("..", "README.md");

  static String snippet(Path source) throws Exception {
    String text = Files.readString(source);
    return text.substring(text.indexOf("// readme:start\n") + 16, text.indexOf("// readme:end"));
  }

  @Test
  void theReadmeShowsTheHotColdEnvironmentVerbatim() throws Exception {
    String code = snippet(Path.of("src/test/java/dev/ludus/examples/HotCold.java"));
    assertTrue(code.lines().count() <= 40, "the example stays short: " + code.lines().count() + " lines");
    assertTrue(Files.readString(README).contains(code), "README.md must contain HotCold.java's example verbatim");
  }

  @Test
  void theReadmeShowsTheConcisenessBonusShaperVerbatim() throws Exception {
    String code = snippet(Path.of("src/test/java/dev/ludus/examples/ConcisenessBonus.java"));
    assertTrue(code.lines().count() <= 40, "the example stays short: " + code.lines().count() + " lines");
    assertTrue(Files.readString(README).contains(code), "README.md must contain ConcisenessBonus.java's example verbatim");
  }

  @Test
  void theConcisenessBonusPaysShortTurnsOnly() {
    Task task = Task.generated("x", 1);
    dev.ludus.api.Episode e = new dev.ludus.api.Episode(dev.ludus.api.Episode.SCHEMA, "e", "x", "a", task, 1,
        dev.ludus.api.EpisodeStatus.COMPLETED, null, true, 0, List.of(), List.of(), null, List.of(
            new dev.ludus.api.Turn(0, Message.assistant("yes"), null, List.of(), 0, false, false, null, 0, 0),
            new dev.ludus.api.Turn(1, Message.assistant("one two three four"), null, List.of(), 0, true, false, null, 0,
                0)), List.of(), 0, 0);
    var c = new ConcisenessBonus().create(new ConcisenessBonus.Config(3, 0.5)).shape(e);
    assertEquals(List.of(new dev.ludus.api.RewardContribution(0, "conciseness", 0.5),
        new dev.ludus.api.RewardContribution(1, "conciseness", 0.0)), c);
  }

  @Test
  void theHotColdEnvironmentPassesTheEnvironmentChecker() {
    EnvChecker.check(new HotCold().bind(new HotCold.Config(10))).assertPassed();
  }

  @Test
  void theHotColdEnvironmentIsWonByNamingTheDigit() {
    Task task = Task.generated("hot-cold", 1234);
    EnvTestKit.Played p = EnvTestKit.replay(new HotCold().bind(new HotCold.Config(10)), task, 0,
        List.of(Message.assistant("I say 9"), Message.assistant("4")));
    assertEquals("warmer", p.steps().get(0).observation().get(0).content());
    assertEquals(2, p.steps().size());
    assertTrue(p.succeeded());
    assertEquals(1.0, p.totalReward());
    assertEquals(0, p.last().signals().get(HotCold.DISTANCE).orElseThrow());
    assertTrue(p.steps().get(0).signals().get(StandardSignals.SUCCESS).map(s -> !s).orElse(false));
  }
}
