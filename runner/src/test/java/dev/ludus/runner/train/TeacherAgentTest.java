package dev.ludus.runner.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.djl.DjlLmAgent;
import dev.ludus.agents.djl.DjlLmAgentProvider;
import dev.ludus.api.Agent;
import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.Message;
import dev.ludus.api.Registry;
import dev.ludus.api.Task;
import dev.ludus.runner.config.Plugins;
import dev.ludus.runner.learn.Demonstration;
import dev.ludus.runner.runtime.EpisodeRuntime;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The warm start's teacher asks the student for one token only, yet records the prompt the student itself reads. */
class TeacherAgentTest {
  private static final Registry REGISTRY = Registry.load();
  private static EpisodeRuntime runtime;

  @BeforeAll
  static void start() {
    runtime = EpisodeRuntime.start();
  }

  @AfterAll
  static void stop() {
    runtime.close();
  }

  private static DjlLmAgent student(BoundEnvironment env, int context, int maxNewTokens) throws Exception {
    List<String> corpus = TokenizerCorpus.gather(runtime, env, new TokenizerCorpus.Options(2, 2, TokenizerCorpus.SEED));
    DjlLmAgentProvider.Config c = DjlLmAgentProvider.Config.defaults().withArchitecture(1, 16, 2, context)
        .withBpe(DjlLmAgentProvider.Bpe.of(300, corpus)).withMaxNewTokens(maxNewTokens).withSeed(3)
        .withBatching(8, 1);
    c = new DjlLmAgentProvider.Config(c.layers(), c.width(), c.heads(), c.context(), c.vocabulary(),
        c.vocabularyFile(), c.tokenizerJson(), c.bpe(), c.checkpoint(), c.maxNewTokens(), c.temperature(), c.topK(),
        c.topP(), c.stop(), c.maxBatch(), c.maxWaitMillis(), "cpu", c.seed(), c.valueHead(), c.textToolCalls(),
        c.invalidToolArguments());
    return (DjlLmAgent) new DjlLmAgentProvider().create(c, env);
  }

  /** The teacher's one demonstration of {@code conversation}, and the student's own prompt for it. */
  private static int[][] demonstrationAndStudentPrompt(BoundEnvironment env, DjlLmAgent student,
      List<Message> conversation, Task task) throws Exception {
    AgentRequest request = new AgentRequest("e", task, 1, 0, conversation, List.of());
    int[] own = ((AgentResponse.Reply) student.act(new AgentRequest("s", task.withheld(), 1, 0, conversation,
        List.of())).toCompletableFuture().get()).tokens().promptIds();
    try (Agent oracle = env.oracle().orElseThrow(); TeacherAgent teacher = new TeacherAgent(oracle, student)) {
      teacher.act(request).toCompletableFuture().get();
      List<Demonstration> demos = teacher.demonstrations();
      assertEquals(1, demos.size());
      return new int[][] {demos.get(0).promptIds(), own};
    }
  }

  @Test
  void theDemonstrationsPromptIsTheStudentsOwnWhetherOrNotTheContextCutsIt() throws Exception {
    BoundEnvironment env = Plugins.environment(REGISTRY, "search-qa", null).withContext(runtime.pluginContext());
    Task task = env.tasks().task(0, 1);
    List<Message> opening;
    try (var e = env.create()) {
      opening = ((dev.ludus.api.AsyncEnvironment) e).reset(task, 1).toCompletableFuture().get().observation();
    }
    try (DjlLmAgent whole = student(env, 1024, 40)) {
      int[][] d = demonstrationAndStudentPrompt(env, whole, opening, task);
      assertArrayEquals(d[1], d[0], "uncut: the student's prompt");
      assertTrue(d[0].length > 64, "the opening is long enough to be cut below: " + d[0].length);
    }
    // a context the prompt does not fit: the student keeps its last context - maxNewTokens ids, and so must the teacher
    try (DjlLmAgent cut = student(env, 64, 40)) {
      int[][] d = demonstrationAndStudentPrompt(env, cut, opening, task);
      assertEquals(64 - 40, d[1].length);
      assertArrayEquals(d[1], d[0], "cut: the student's prompt, not the one-token agent's longer one");
      // and the student still acts after the teacher is closed (closing releases the one-token agent only)
      assertTrue(cut.act(new AgentRequest("after", task.withheld(), 2, 0, opening, List.of())).toCompletableFuture()
          .get() instanceof AgentResponse.Reply);
    }
  }
}
