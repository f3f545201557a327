package dev.ludus.agents.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.Agent;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.AnyEnvironment;
import dev.ludus.api.BoundEnvironment;
import dev.ludus.api.Environment;
import dev.ludus.api.EnvironmentProvider;
import dev.ludus.api.Message;
import dev.ludus.api.NoConfig;
import dev.ludus.api.Reset;
import dev.ludus.api.SignalKey;
import dev.ludus.api.StepResult;
import dev.ludus.api.Task;
import dev.ludus.api.testing.EnvTestKit;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class DjlLmEpisodeTest {
  /** A three-turn game: the user asks for a number; saying "5" wins at once, anything else goes on. */
  static final class GuessFive implements Environment {
    private int turns;

    @Override
    public Reset reset(Task task, long seed) {
      turns = 0;
      return Reset.of(List.of(Message.system("play a game ."), Message.user("guess a number between 1 and 10")));
    }

    @Override
    public StepResult step(Message action) {
      turns++;
      boolean won = action.content().trim().equals("5");
      if (won || turns == 3) {
        return new StepResult(List.of(Message.user(won ? "you win !" : "no .")), won ? 1 : 0, true, false, null);
      }
      return StepResult.next(Message.user("no , try again ."), null);
    }
  }

  static final class GuessFiveProvider implements EnvironmentProvider<NoConfig> {
    @Override
    public String name() {
      return "guess-five";
    }

    @Override
    public String description() {
      return "guess 5 in three turns";
    }

    @Override
    public Class<NoConfig> configType() {
      return NoConfig.class;
    }

    @Override
    public NoConfig defaultConfig() {
      return NoConfig.INSTANCE;
    }

    @Override
    public AnyEnvironment create(NoConfig config) {
      return new GuessFive();
    }

    @Override
    public Set<SignalKey<?>> signals() {
      return Set.of();
    }

    @Override
    public Agent randomAgent(NoConfig config) {
      return r -> CompletableFuture.completedFuture(AgentResponse.reply(Message.assistant("3")));
    }
  }

  @Test
  void theAgentPlaysAnEpisodeEndToEndWithATokenTracePerTurn() {
    BoundEnvironment env = BoundEnvironment.of(new GuessFiveProvider(), NoConfig.INSTANCE);
    List<AgentResponse.Reply> replies = new CopyOnWriteArrayList<>();
    try (Agent model = new DjlLmAgentProvider().create(DjlLmFixtures.config().withSampling(1, 0, 1), env)) {
      Agent recording = r -> model.act(r).thenApply(resp -> {
        if (resp instanceof AgentResponse.Reply reply) {
          replies.add(reply);
        }
        return resp;
      });
      EnvTestKit.Played played = EnvTestKit.play(env, recording, Task.generated("guess-five", 3), 3, 10);
      assertTrue(played.ended());
      assertEquals(played.actions().size(), replies.size());
      for (int i = 0; i < replies.size(); i++) {
        AgentResponse.Reply r = replies.get(i);
        assertEquals(played.actions().get(i), r.message());
        assertEquals(r.tokenTrace().orElseThrow().outputIds().length, r.usage().completionTokens());
      }
      if (replies.size() > 1) {
        assertTrue(replies.get(1).tokenTrace().orElseThrow().promptIds().length
            > replies.get(0).tokenTrace().orElseThrow().promptIds().length, "the second prompt holds the first turn");
      }
      EnvTestKit.Played again = EnvTestKit.play(env, model, Task.generated("guess-five", 3), 3, 10);
      assertEquals(played.actions(), again.actions(), "same seed, same episode");
    }
  }
}
