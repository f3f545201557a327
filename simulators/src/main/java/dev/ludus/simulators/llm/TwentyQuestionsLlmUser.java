package dev.ludus.simulators.llm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.Task;
import dev.ludus.api.chat.ChatClient;
import dev.ludus.simulators.questions.Attribute;
import dev.ludus.simulators.questions.Candidates;
import dev.ludus.simulators.questions.Item;
import dev.ludus.simulators.questions.QuestionGrammar;
import dev.ludus.simulators.questions.TwentyQuestionsRules;
import dev.ludus.simulators.questions.TwentyQuestionsSignals;
import dev.ludus.simulators.questions.TwentyQuestionsSignals.Reply;
import dev.ludus.simulators.questions.TwentyQuestionsUserConfig;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The LLM-driven twenty-questions user. Each agent message is parsed by the rule-based user's grammar
 * ({@link QuestionGrammar}); a yes/no question goes to the user's model, roles flipped, which is told the hidden item
 * and its catalogue facts and returns as JSON its answer ({@code yes}, {@code no} or {@code dont-know}) and its reply.
 * The candidate set is then updated exactly as the rule-based user updates it, with the model's answer in place of the
 * catalogue's ({@link Candidates#after}); "don't know" leaves it unchanged and is published as the
 * {@code dont-know} reply. Guesses and messages the grammar cannot read are answered by the rules, without a model
 * call. The target is the rule-based user's for the same task ({@link TwentyQuestionsRules#target}), and it publishes
 * the same {@link TwentyQuestionsSignals}. Not thread-safe: one per episode.
 */
final class TwentyQuestionsLlmUser extends LlmTwinUser {
  static final StructuredOutput ANSWER = StructuredOutput.of("twenty-questions-answer", """
      {"type": "object", "required": ["answer", "reply"], "additionalProperties": false,
       "properties": {
         "answer": {"enum": ["yes", "no", "dont-know"]},
         "reply": {"type": "string", "minLength": 1}}}""");

  private final List<Item> pool;
  private final int listLimit;
  private Item target;
  private Candidates candidates;

  TwentyQuestionsLlmUser(TwentyQuestionsLlmUserConfig config, ChatClient client) {
    super(config.settings(), client);
    TwentyQuestionsUserConfig rules = config.rules();
    this.pool = rules.pool();
    this.listLimit = rules.listLimit();
  }

  @Override
  CompletionStage<Step> open(Task task, long seed) {
    target = TwentyQuestionsRules.target(pool, task);
    candidates = new Candidates(pool);
    return CompletableFuture.completedFuture(new Step(TwentyQuestionsRules.opening(), hidden().build(), false));
  }

  @Override
  CompletionStage<Step> turn(String text) {
    QuestionGrammar.Utterance u = QuestionGrammar.parse(text);
    if (u instanceof QuestionGrammar.Guess guess) {
      boolean right = guess.item().equals(target);
      candidates = right ? new Candidates(List.of(target)) : candidates.without(guess.item());
      Signals s = hidden().put(TwentyQuestionsSignals.REPLY,
          (right ? Reply.RIGHT_GUESS : Reply.WRONG_GUESS).wireName()).build();
      return CompletableFuture.completedFuture(new Step(right ? TwentyQuestionsRules.rightGuess(target)
          : TwentyQuestionsRules.wrongGuess(), s, right));
    }
    if (u instanceof QuestionGrammar.Unclear un) {
      Signals s = hidden().put(TwentyQuestionsSignals.REPLY, Reply.NOT_UNDERSTOOD.wireName())
          .put(StandardSignals.INVALID_ACTION, un.reason()).build();
      return CompletableFuture.completedFuture(new Step(TwentyQuestionsRules.notUnderstood(un.reason()), s, false));
    }
    QuestionGrammar.Ask ask = (QuestionGrammar.Ask) u;
    Map<String, Object> vars = new HashMap<>();
    vars.put("item", target.name());
    vars.put("facts", Arrays.stream(Attribute.values()).map(a -> a.word() + ": " + a.of(target)).toList());
    vars.put("question", ask.question().text());
    vars.put("schema", ANSWER.schema());
    String system = templates.render("twenty-questions-user", vars);
    return model.structured(flipped(system), ANSWER).thenApply(json -> step(ask, json));
  }

  private Step step(QuestionGrammar.Ask ask, JsonNode json) {
    String answer = json.get("answer").asText();
    Reply kind = switch (answer) {
      case "yes" -> Reply.YES;
      case "no" -> Reply.NO;
      default -> Reply.DONT_KNOW;
    };
    if (kind != Reply.DONT_KNOW) {
      candidates = candidates.after(ask.question(), kind == Reply.YES);
    }
    Signals s = hidden().put(TwentyQuestionsSignals.REPLY, kind.wireName())
        .put(TwentyQuestionsSignals.QUESTION, ask.question().text()).build();
    return new Step(json.get("reply").asText().strip(), s, false);
  }

  private Signals.Builder hidden() {
    Signals.Builder b = Signals.builder()
        .put(StandardSignals.CANDIDATE_COUNT, candidates.count())
        .put(StandardSignals.CANDIDATE_ENTROPY, candidates.entropyBits())
        .put(TwentyQuestionsSignals.TARGET, target.name());
    if (candidates.count() <= listLimit) {
      b.put(StandardSignals.CANDIDATES, candidates.names());
    }
    return b;
  }

  /** The items still consistent with the answers given (tests, fidelity checks). */
  Candidates candidates() {
    return candidates;
  }

  /** The hidden item (tests, fidelity checks). */
  Item target() {
    return target;
  }
}
