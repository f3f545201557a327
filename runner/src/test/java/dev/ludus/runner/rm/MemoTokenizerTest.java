package dev.ludus.runner.rm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.ludus.agents.djl.ConversationIds;
import dev.ludus.agents.djl.LmTokenizer;
import dev.ludus.api.Message;
import java.util.List;
import java.util.Optional;
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

  @Test
  void whatTheDelegateOverridesIsForwardedNotReplacedByTheInterfacesDefaults() {
    try (LmTokenizer bpe = LmTokenizer.byteLevelBpe(List.of("higher lower"), 300)) {
      dev.ludus.agents.djl.PromptRenderer template = (conversation, tools, ownReplies) -> new int[] {1, 2, 3};
      LmTokenizer delegate = new dev.ludus.agents.djl.ForwardingLmTokenizer(bpe) {
        @Override
        public int[] specialIds() {
          return new int[] {0, 1, 2, 99};
        }

        @Override
        public Optional<dev.ludus.agents.djl.PromptRenderer> chatTemplate() {
          return Optional.of(template);
        }
      };
      MemoTokenizer memo = new MemoTokenizer(delegate);
      assertArrayEquals(new int[] {0, 1, 2, 99}, memo.specialIds(), "the delegate's special ids");
      assertEquals(Optional.of(template), memo.chatTemplate(), "the delegate's chat template");
      assertEquals(bpe.toJson(), memo.toJson());
    }
  }
}
