package dev.ludus.agents.djl;

import static dev.ludus.agents.djl.DjlLmFixtures.act;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.AgentRequest;
import dev.ludus.api.AgentResponse;
import dev.ludus.api.Message;
import dev.ludus.api.Task;
import dev.ludus.api.TokenTrace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Token in, token out across turns: the agent's next prompt holds its earlier replies as the ids it sampled, so each
 * prompt extends the previous prompt and output exactly, even where a byte-level BPE would encode the decoded
 * sample back to other ids.
 */
class OwnRepliesTest {
  @Test
  void eachPromptExtendsThePreviousPromptAndTheIdsSampledForIt() {
    ByteLevelBpeTokenizer bpe = ByteLevelBpeTokenizer.train(BpeFixtures.corpus(), 300);
    int reEncodedDifferently = 0;
    try (LanguageModel model = LanguageModel.create(new LanguageModel.Spec(1, 16, 2, 512, bpe.vocabSize()), "cpu", 5);
        DjlLmAgent agent = DjlLmAgent.sharing(model, bpe, DjlLmFixtures.config().withMaxNewTokens(6))) {
      for (long seed = 1; seed <= 6; seed++) {
        List<Message> messages = new ArrayList<>(List.of(Message.user("guess a number between 1 and 10")));
        TokenTrace previous = null;
        for (int turn = 0; turn < 4; turn++) {
          AgentRequest request = new AgentRequest("e" + seed, Task.generated("t", seed), seed, turn, messages,
              List.of(), null);
          AgentResponse.Reply r = act(agent, request);
          TokenTrace trace = r.tokenTrace().orElseThrow();
          if (previous != null) {
            int[] before = concat(previous.promptIds(), previous.outputIds());
            assertArrayEquals(before, Arrays.copyOf(trace.promptIds(), before.length),
                "seed " + seed + " turn " + turn + ": the prompt does not extend the last prompt and its output");
          }
          int[] sampled = stripEos(trace.outputIds(), bpe.eosId());
          if (!Arrays.equals(sampled, bpe.encode(r.message().content()))) {
            reEncodedDifferently++;
          }
          previous = trace;
          messages.add(r.message());
          messages.add(Message.user("no , higher ."));
        }
      }
      agent.episodeEnded("e1");
    }
    assertTrue(reEncodedDifferently > 0, "no sampled reply re-encoded differently: the test shows nothing");
  }

  @Test
  void anEndedEpisodeForgetsItsRepliesAndTheBoundHolds() {
    OwnReplies replies = new OwnReplies(2);
    replies.remember("a", "x", new int[] {1, 2, 9}, 9);
    assertArrayEquals(new int[] {1, 2}, replies.of("a").get("x"), "end of sequence dropped");
    replies.remember("b" + DjlLmAgent.SEAT_SEPARATOR + "s", "y", new int[] {3}, 9);
    replies.release("b");
    assertEquals(1, replies.size());
    replies.remember("c", "z", new int[] {4}, 9);
    replies.remember("d", "w", new int[] {5}, 9);
    assertEquals(2, replies.size());
    assertTrue(replies.of("a").isEmpty(), "the least recently used conversation went first");
  }

  private static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static int[] stripEos(int[] ids, int eos) {
    return ids.length > 0 && ids[ids.length - 1] == eos ? Arrays.copyOf(ids, ids.length - 1) : ids;
  }
}
