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
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's examples are this compiled code, verbatim, and they work. A snippet is what a source file
 * holds between {@code // readme:start} and {@code // readme:end} (in a POM, the same words in XML
 * comments), imports included, so that a reader sees where every type comes from. The files under
 * {@code examples/plugin} are compiled by the invoker against the installed artifacts in the same build.
 */
class ReadmeExamplesTest {
  private static final Path README = Path.of("..", "README.md");
  private static final Path PLUGIN = Path.of("..", "examples", "plugin");
  private static final List<Path> JAVA_SNIPPETS = List.of(
      Path.of("src/test/java/dev/ludus/examples/HotCold.java"),
      Path.of("src/test/java/dev/ludus/examples/ConcisenessBonus.java"),
      Path.of("src/test/java/dev/ludus/examples/CapitalQuiz.java"),
      Path.of("src/test/java/dev/ludus/examples/Multiply.java"),
      Path.of("src/test/java/dev/ludus/examples/TypedEpisodes.java"),
      Path.of("src/test/java/dev/ludus/examples/BatchedJudge.java"),
      Path.of("src/test/java/dev/ludus/examples/GroupSign.java"),
      Path.of("src/test/java/dev/ludus/examples/SealedBid.java"),
      PLUGIN.resolve("src/main/java/com/example/mastermind/Elimination.java"));

  static String snippet(Path source) throws Exception {
    String text = Files.readString(source);
    boolean xml = source.toString().endsWith(".xml");
    String start = xml ? "<!-- readme:start -->\n" : "// readme:start\n";
    String end = xml ? "<!-- readme:end -->" : "// readme:end";
    int from = text.indexOf(start);
    int to = text.indexOf(end);
    assertTrue(from >= 0 && to > from, source + " marks its README snippet with " + start.strip() + " ... " + end);
    String code = text.substring(from + start.length(), text.lastIndexOf('\n', to) + 1);
    if (xml) {
      code = code.lines().map(l -> l.startsWith("  ") ? l.substring(2) : l).collect(Collectors.joining("\n", "", "\n"));
    }
    return code;
  }

  private static List<String> readmeBlocks(String language) throws Exception {
    List<String> blocks = new ArrayList<>();
    String[] parts = Files.readString(README).split("```", -1);
    for (int i = 1; i < parts.length; i += 2) {
      if (parts[i].startsWith(language + "\n")) {
        blocks.add(parts[i].substring(language.length() + 1));
      }
    }
    return blocks;
  }

  @Test
  void theReadmeShowsEachJavaSnippetVerbatimWithItsImports() throws Exception {
    String readme = Files.readString(README);
    for (Path source : JAVA_SNIPPETS) {
      String code = snippet(source);
      assertTrue(code.startsWith("import "), source + "'s snippet starts with its imports");
      assertTrue(code.lines().count() <= 60, "the example stays short: " + code.lines().count() + " lines in " + source);
      assertTrue(readme.contains(code), "README.md must contain " + source.getFileName() + "'s example verbatim");
    }
  }

  @Test
  void everyJavaClassInTheReadmeIsACompiledSnippet() throws Exception {
    List<String> snippets = new ArrayList<>();
    for (Path source : JAVA_SNIPPETS) {
      snippets.add(snippet(source));
    }
    for (String block : readmeBlocks("java")) {
      if (block.contains(" class ")) {
        assertTrue(snippets.contains(block), "a Java class in README.md that the build does not compile:\n" + block);
      }
    }
  }

  @Test
  void theReadmeShowsThePluginPomVerbatim() throws Exception {
    String pom = snippet(PLUGIN.resolve("pom.xml"));
    assertTrue(pom.contains("<artifactId>env-api</artifactId>") && pom.contains("<scope>import</scope>"), pom);
    assertTrue(readmeBlocks("xml").contains(pom), "README.md must contain examples/plugin/pom.xml's snippet:\n" + pom);
  }

  @Test
  void theExamplePluginBuildsAgainstThisVersionOfLudus() throws Exception {
    String parent = Files.readString(Path.of("..", "pom.xml"));
    Matcher version = Pattern.compile("<artifactId>ludus-parent</artifactId>\\s*<version>([^<]+)</version>")
        .matcher(parent);
    assertTrue(version.find(), "the parent POM's version");
    assertTrue(Files.readString(PLUGIN.resolve("pom.xml"))
            .contains("<ludus.version>" + version.group(1) + "</ludus.version>"),
        "examples/plugin/pom.xml's ludus.version must be " + version.group(1));
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
