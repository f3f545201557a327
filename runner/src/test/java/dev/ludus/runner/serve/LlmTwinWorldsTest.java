package dev.ludus.runner.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.openai.mock.MockOpenAiServer;
import dev.ludus.agents.openai.mock.MockReply;
import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.runner.cli.Ludus;
import dev.ludus.simulators.questions.Catalogue;
import dev.ludus.simulators.questions.Item;
import dev.ludus.simulators.questions.QuestionGrammar;
import dev.ludus.simulators.questions.TwentyQuestionsSignals;
import dev.ludus.simulators.tutoring.TutoringSignals;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tutoring world with the LLM-driven twin of its student, switched in by configuration alone, end to end through
 * {@code ludus rollout} against the mock server: a student model that understands every hint it may for half of the
 * problems and writes prose instead of JSON for the rest; the twenty-questions world with its LLM-driven user, whose
 * model answers truthfully for half of the items, so that the reference oracle wins those games from its answers.
 */
class LlmTwinWorldsTest {
  static final Pattern TEACHABLE = Pattern.compile("only from \\[([^\\]]*)\\]");

  @Test
  void tutoringWithItsLlmStudentRecordsMalformedRepliesAsFailuresAndScoresTheOthersByTheRules(@TempDir Path dir)
      throws Exception {
    try (MockOpenAiServer server = MockOpenAiServer.builder().responder(request -> {
      String system = request.json().path("messages").path(0).path("content").asText("");
      String opening = request.json().path("messages").path(1).path("content").asText("");
      if (Math.floorMod(opening.hashCode(), 2) == 1) {
        return MockReply.text("I think I get it now, thanks!");
      }
      Matcher m = TEACHABLE.matcher(system);
      String ids = m.find() ? m.group(1).trim() : "";
      String understood = ids.isEmpty() ? "" : "\"" + String.join("\", \"", ids.split(",\\s*")) + "\"";
      return MockReply.text("{\"understood\": [" + understood + "], \"reply\": \"Okay, let me think.\"}");
    }).start()) {
      int code = Ludus.run("rollout", "--env", "tutoring", "--env-config",
          "{maxTurns: 4, user: {name: tutoring-llm-user, config: {endpoint: user-model, temperature: 0, attempts: 2}}}",
          "--agent", "oracle",
          "--llm", "{user-model: {baseUrl: '" + server.baseUrl() + "', model: sim, apiKeyEnv: '', cacheSize: 0}}",
          "--episodes", "12", "--concurrency", "4", "--out", dir.toString(), "--no-progress",
          "--max-failure-rate", "1");
      assertEquals(0, code, "simulator failures are data; the run completes (failures allowed by --max-failure-rate)");
      List<Episode> episodes = LlmUserWorldsTest.episodes(dir);
      assertEquals(12, episodes.size());
      List<Episode> failed = episodes.stream().filter(e -> e.status() == EpisodeStatus.FAILED).toList();
      List<Episode> done = episodes.stream().filter(e -> e.status() != EpisodeStatus.FAILED).toList();
      assertTrue(!failed.isEmpty() && !done.isEmpty(), "some of each: " + failed.size() + " failed");
      for (Episode e : failed) {
        assertTrue(e.failure().contains("simulator failure (malformed-output)")
            && e.failure().contains("student-reply") && e.failure().contains("after 2 attempts"), e.failure());
      }
      for (Episode e : done) {
        Signals last = e.turns().get(e.turns().size() - 1).signals();
        assertEquals(8, last.get(TutoringSignals.ATTEMPTS).orElseThrow(), "the rules' final attempts are made");
        assertTrue(last.get(StandardSignals.SUCCESS).isPresent(), "the world scores the student's attempts");
        assertTrue(last.get(TutoringSignals.PROBLEM).isPresent(), "the rule-based student's signals are published");
      }
    }
  }

  static final Pattern ITEM = Pattern.compile("You are thinking of: ([a-z ]+)\\.");
  static final Pattern QUESTION = Pattern.compile("as understood: \"([^\"]*)\"");

  @Test
  void twentyQuestionsWithItsLlmUserIsWonByTheOracleFromTheModelsAnswers(@TempDir Path dir) throws Exception {
    try (MockOpenAiServer server = MockOpenAiServer.builder().responder(request -> {
      String system = request.json().path("messages").path(0).path("content").asText("");
      Matcher item = ITEM.matcher(system);
      Matcher question = QUESTION.matcher(system);
      if (!item.find() || !question.find()) {
        throw new IllegalStateException("the prompt names the item and the question: " + system);
      }
      if (Math.floorMod(item.group(1).hashCode(), 2) == 1) {
        return MockReply.text("Yes, I think so.");
      }
      Item target = Catalogue.find(item.group(1)).orElseThrow();
      boolean yes = ((QuestionGrammar.Ask) QuestionGrammar.parse(question.group(1))).question().test(target);
      return MockReply.text("{\"answer\": \"" + (yes ? "yes" : "no") + "\", \"reply\": \""
          + (yes ? "Yes, it is." : "No, it isn't.") + "\"}");
    }).start()) {
      int code = Ludus.run("rollout", "--env", "twenty-questions", "--env-config",
          "{user: {name: twenty-questions-llm-user, config: {endpoint: user-model, temperature: 0, attempts: 2}}}",
          "--agent", "oracle",
          "--llm", "{user-model: {baseUrl: '" + server.baseUrl() + "', model: sim, apiKeyEnv: '', cacheSize: 0}}",
          "--episodes", "12", "--concurrency", "4", "--out", dir.toString(), "--no-progress",
          "--max-failure-rate", "1");
      assertEquals(0, code);
      List<Episode> episodes = LlmUserWorldsTest.episodes(dir);
      assertEquals(12, episodes.size());
      List<Episode> failed = episodes.stream().filter(e -> e.status() == EpisodeStatus.FAILED).toList();
      List<Episode> done = episodes.stream().filter(e -> e.status() != EpisodeStatus.FAILED).toList();
      assertTrue(!failed.isEmpty() && !done.isEmpty(), "some of each: " + failed.size() + " failed");
      for (Episode e : failed) {
        assertTrue(e.failure().contains("simulator failure (malformed-output)")
            && e.failure().contains("twenty-questions-answer"), e.failure());
      }
      for (Episode e : done) {
        Signals last = e.turns().get(e.turns().size() - 1).signals();
        assertEquals("right-guess", last.get(TwentyQuestionsSignals.REPLY).orElseThrow(), "the oracle wins");
        assertEquals(true, last.get(StandardSignals.SUCCESS).orElseThrow());
      }
    }
  }
}
