package dev.ludus.runner.rm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.ludus.agents.djl.ConversationIds;
import dev.ludus.agents.djl.LmTokenizer;
import dev.ludus.api.Message;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoTokenizerTest {
  @Test
  void aConversationRendersToTheDelegatesIdsAndARepeatedTextIsAnsweredFromTheMemo() {
    try (LmTokenizer bpe = LmTokenizer.byteLevelBpe(List.of("guess a number between one and eight", "higher lower"),
        300)) {
      MemoTokenizer memo = new MemoTokenizer(bpe);
      List<Message> conversation = List.of(Message.system("guess a number between one and eight"),
          Message.user("go"), Message.assistant("4"), Message.user("higher"), Message.assistant("6"));
      for (int k = 1; k <= conversation.size(); k++) {
        assertArrayEquals(ConversationIds.of(bpe, conversation.subList(0, k)),
            ConversationIds.of(memo, conversation.subList(0, k)), "conversation so far of " + k + " messages");
      }
      assertArrayEquals(bpe.encode("higher"), memo.encode("higher"));
      assertSame(memo.encode("higher"), memo.encode("higher"), "encoded once, then from the memo");
    }
  }
}
