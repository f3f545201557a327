package dev.ludus.runner.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ludus.api.Episode;
import dev.ludus.api.EpisodeStatus;
import dev.ludus.api.LedgerEntry;
import dev.ludus.api.Message;
import dev.ludus.api.Task;
import dev.ludus.api.TokenTrace;
import dev.ludus.api.Turn;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenRowsTest {
  private static Turn turn(int index, int[] prompt, int[] out) {
    float[] lp = new float[out.length];
    for (int i = 0; i < lp.length; i++) {
      lp[i] = -0.1f * (i + 1) - index;
    }
    return new Turn(index, Message.assistant("a" + index), new TokenTrace(prompt, out, lp, 7), List.of(), 0, false,
        false, null, 0, 0);
  }

  private static Episode episode(List<Turn> turns, List<LedgerEntry> ledger) {
    return new Episode(Episode.SCHEMA, "run-it0-3", "guess-number", "djl-lm", new Task("t", 1, null), 1,
        EpisodeStatus.COMPLETED, null, true, 1, List.of(Message.user("go")), List.of(), null, turns, ledger, 0, 0);
  }

  private static List<Integer> ints(JsonNode a) {
    List<Integer> r = new ArrayList<>();
    a.forEach(n -> r.add(n.asInt()));
    return r;
  }

  @Test
  void turnsWhosePromptsContinueTheConversationAreOneRowWithTheEnvironmentsTokensMaskedOut() {
    Episode e = episode(List.of(
        turn(0, new int[] {1, 2}, new int[] {10, 11}),
        turn(1, new int[] {1, 2, 10, 11, 5, 6}, new int[] {12})),
        List.of(new LedgerEntry(0, "info-gain", "gain", 0.5, 0.25), new LedgerEntry(1, "outcome", "outcome", 1, 1),
            new LedgerEntry(1, "info-gain", "gain", 0.5, 0.5)));
    TokenRows.Result r = TokenRows.of(e);
    assertNull(r.skipped());
    assertEquals(1, r.rows().size());
    ObjectNode row = r.rows().get(0);
    assertEquals(List.of(1, 2), ints(row.get("prompt_ids")));
    assertEquals(List.of(10, 11, 5, 6, 12), ints(row.get("response_ids")));
    assertEquals(List.of(1, 1, 0, 0, 1), ints(row.get("response_mask")));
    assertEquals("[0.0,0.25,0.0,0.0,1.5]", row.get("token_rewards").toString());
    assertEquals(-1.1f, (float) row.get("response_logprobs").get(4).asDouble());
    assertEquals(0.0, row.get("response_logprobs").get(2).asDouble());
    assertEquals(2, row.get("num_turns").asInt());
  }

  @Test
  void aPromptCutFromTheLeftStartsANewRowSoNothingIsReTokenized() {
    Episode e = episode(List.of(
        turn(0, new int[] {1, 2}, new int[] {10}),
        turn(1, new int[] {2, 10, 5}, new int[] {11})), List.of());
    List<ObjectNode> rows = TokenRows.of(e).rows();
    assertEquals(2, rows.size());
    assertEquals(List.of(2, 10, 5), ints(rows.get(1).get("prompt_ids")));
    assertEquals(List.of(11), ints(rows.get(1).get("response_ids")));
    assertEquals(1, rows.get(1).get("first_turn").asInt());
    assertEquals(false, rows.get(0).get("last_segment").asBoolean());
    assertEquals(true, rows.get(1).get("last_segment").asBoolean());
  }

  @Test
  void anEpisodeWithoutTokenIdsIsSkippedWithItsReason() {
    Turn noTokens = new Turn(0, Message.assistant("3"), null, List.of(), 0, true, false, null, 0, 0);
    TokenRows.Result r = TokenRows.of(episode(List.of(noTokens), List.of()));
    assertEquals(0, r.rows().size());
    assertEquals("no token ids (the agent's backend recorded none)", r.skipped());
  }
}
