package dev.ludus.agents.djl;

import static dev.ludus.agents.djl.DjlLmFixtures.act;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.api.AgentRequest;
import dev.ludus.api.ConfigException;
import dev.ludus.api.Message;
import dev.ludus.api.Task;
import dev.ludus.api.TokenTrace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A windowed history: the policy reads the opening system messages and the latest observations, and the token trace
 * records exactly that prompt.
 */
class HistoryWindowTest {
  private static final Message RULES = Message.system("play a game .");

  /** The rules, then {@code turns} rounds of an observation and the agent's reply, then a last observation. */
  private static List<Message> conversation(int turns) {
    List<Message> out = new ArrayList<>(List.of(RULES, Message.user("guess a number")));
    for (int t = 0; t < turns; t++) {
      out.add(Message.assistant(String.valueOf(t)));
      out.add(Message.user(t % 2 == 0 ? "higher" : "lower"));
    }
    return out;
  }

  @Test
  void windowZeroIsTheWholeConversation() {
    List<Message> c = conversation(4);
    assertSame(c, HistoryWindow.view(c, 0));
  }

  @Test
  void windowOneKeepsTheRulesAndTheLatestObservationOnly() {
    List<Message> c = conversation(4);
    assertEquals(List.of(RULES, Message.user("lower")), HistoryWindow.view(c, 1));
  }

  @Test
  void windowTwoKeepsTheTwoLatestObservationsAndTheReplyBetweenThem() {
    List<Message> c = conversation(4);
    assertEquals(List.of(RULES, Message.user("higher"), Message.assistant("3"), Message.user("lower")),
        HistoryWindow.view(c, 2));
  }

  @Test
  void aConversationWithNoMoreObservationsThanTheWindowIsKeptWhole() {
    assertEquals(conversation(0), HistoryWindow.view(conversation(0), 1));
    assertEquals(conversation(1), HistoryWindow.view(conversation(1), 2));
  }

  @Test
  void consecutiveMessagesThatAreNotTheAgentsAreOneObservation() {
    List<Message> c = new ArrayList<>(conversation(2));
    c.add(Message.user("and a second message of the same observation"));
    assertEquals(List.of(RULES, Message.user("lower"), Message.user("and a second message of the same observation")),
        HistoryWindow.view(c, 1));
  }

  @Test
  void aNegativeWindowIsRefusedSayingWhatIsAllowed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> HistoryWindow.view(conversation(1), -1));
    assertTrue(e.getMessage().contains("0 (the whole conversation) or more"), e.getMessage());
    IllegalArgumentException c = assertThrows(IllegalArgumentException.class,
        () -> DjlLmFixtures.config().withHistoryWindow(-1));
    assertTrue(c.getMessage().contains("historyWindow"), c.getMessage());
  }

  @Test
  void theTracedPromptIsTheWindowedConversationWhateverCameBefore() {
    LmTokenizer tokenizer = DjlLmFixtures.tokenizer();
    try (LanguageModel model = DjlLmFixtures.model(3);
        DjlLmAgent windowed = DjlLmAgent.sharing(model, tokenizer, DjlLmFixtures.config().withHistoryWindow(1));
        DjlLmAgent whole = DjlLmAgent.sharing(model, tokenizer, DjlLmFixtures.config())) {
      for (int turns : new int[] {1, 2, 5}) {
        List<Message> c = conversation(turns);
        int[] expected = new ChatTemplate(tokenizer).render(List.of(RULES, c.get(c.size() - 1)));
        AgentRequest request = new AgentRequest("e" + turns, Task.generated("t", turns), turns, turns,
            conversation(turns), List.of(), null);
        TokenTrace trace = act(windowed, request).tokenTrace().orElseThrow();
        assertArrayEquals(expected, trace.promptIds(), turns + " turns: the prompt is not the rules and the latest "
            + "observation");
        TokenTrace full = act(whole, request).tokenTrace().orElseThrow();
        assertArrayEquals(new ChatTemplate(tokenizer).render(conversation(turns)), full.promptIds(),
            "without a window the prompt is the whole conversation");
        assertFalse(Arrays.equals(full.promptIds(), trace.promptIds()));
      }
    }
  }

  /**
   * A checkpoint saved with the window its policy was trained with (as {@code ludus train} saves one) loads into an
   * agent that reads with it when the configuration leaves the window out; a configured window wins; a checkpoint
   * that saved none reads the whole conversation.
   */
  @Test
  void aCheckpointCarriesItsWindowAndAnAgentLoadingItReadsWithIt(@TempDir Path dir) throws Exception {
    DjlLmAgentProvider provider = new DjlLmAgentProvider();
    try (DjlLmAgent trained = (DjlLmAgent) provider.create(DjlLmFixtures.config().withHistoryWindow(1), null)) {
      trained.model().save(dir);
      trained.tokenizer().save(dir.resolve(LmTokenizer.FILE_NAME));
      HistoryWindow.save(dir, trained.config().historyWindow());
    }
    assertEquals(OptionalInt.of(1), HistoryWindow.saved(dir));
    DjlLmAgentProvider.Config loading = DjlLmFixtures.config().withCheckpoint(dir.toString());
    assertEquals(null, loading.historyWindow(), "the window is left out of the loading configuration");
    List<Message> c = conversation(5);
    AgentRequest request = new AgentRequest("e", Task.generated("t", 5), 5, 5, c, List.of(), null);
    LmTokenizer tokenizer = DjlLmFixtures.tokenizer();
    try (DjlLmAgent loaded = (DjlLmAgent) provider.create(loading, null);
        DjlLmAgent whole = (DjlLmAgent) provider.create(loading.withHistoryWindow(0), null)) {
      assertEquals(1, loaded.config().historyWindow());
      assertArrayEquals(new ChatTemplate(tokenizer).render(List.of(RULES, c.get(c.size() - 1))),
          act(loaded, request).tokenTrace().orElseThrow().promptIds(), "reads the rules and the latest observation");
      assertEquals(0, whole.config().historyWindow(), "a configured window wins over the checkpoint's");
      assertArrayEquals(new ChatTemplate(tokenizer).render(c), act(whole, request).tokenTrace().orElseThrow()
          .promptIds());
    }
    Files.delete(dir.resolve(HistoryWindow.FILE_NAME));
    assertEquals(OptionalInt.empty(), HistoryWindow.saved(dir));
    try (DjlLmAgent older = (DjlLmAgent) provider.create(loading, null)) {
      assertEquals(0, older.config().historyWindow(), "a checkpoint that saved no window: the whole conversation");
    }
  }

  @Test
  void aSavedWindowThatIsNotAWindowIsRefusedNamingTheFileAndWhatIsAllowed(@TempDir Path dir) throws Exception {
    HistoryWindow.save(dir, 2);
    assertEquals(OptionalInt.of(2), HistoryWindow.saved(dir));
    Files.writeString(dir.resolve(HistoryWindow.FILE_NAME), "{\"historyWindow\": -1}");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HistoryWindow.saved(dir));
    assertTrue(e.getMessage().contains(HistoryWindow.FILE_NAME) && e.getMessage().contains("from 0"), e.getMessage());
    ConfigException c = assertThrows(ConfigException.class,
        () -> DjlLmFixtures.config().withCheckpoint(dir.toString()).withCheckpointDefaults());
    assertTrue(c.getMessage().startsWith("djl-lm: checkpoint '"), c.getMessage());
    assertThrows(IllegalArgumentException.class, () -> HistoryWindow.save(dir, -1));
  }
}
