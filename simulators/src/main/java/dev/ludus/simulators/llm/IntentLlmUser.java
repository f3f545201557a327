package dev.ludus.simulators.llm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.Task;
import dev.ludus.api.chat.ChatClient;
import dev.ludus.simulators.intent.IntentBelief;
import dev.ludus.simulators.intent.IntentDraw;
import dev.ludus.simulators.intent.IntentGrammar;
import dev.ludus.simulators.intent.IntentSignals;
import dev.ludus.simulators.intent.IntentSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The LLM-driven intent user. Each agent message is parsed by the rule-based user's grammar ({@link IntentGrammar});
 * a question about one attribute goes to the user's model, roles flipped, which returns as JSON its answer (for "is
 * it X?": yes, no or not-sure; for "what is it?": one of the attribute's values or not-sure; for "X or Y?": X, Y,
 * neither or not-sure; the schema lists exactly these) and its reply. The answer updates the {@link IntentBelief} as
 * the rule-based user's own answer would, so the candidate-set signals are computed from what this user said, exactly
 * as the rules compute them. A final specification is scored by the rules and a message the grammar cannot read is
 * answered by the rules, neither with a model call. The intent, expertise and unknown attributes are the rule-based
 * user's for the same task ({@link IntentDraw}), and it publishes the same {@link IntentSignals}. Not thread-safe:
 * one per episode.
 */
final class IntentLlmUser extends LlmTwinUser {
  static final String NOT_SURE = "not-sure";
  static final String NEITHER = "neither";

  private final IntentSpec spec;
  private final IntentLlmUserConfig config;
  private IntentDraw draw;
  private IntentBelief belief;

  IntentLlmUser(IntentLlmUserConfig config, ChatClient client) {
    super(config.settings(), client);
    this.config = config;
    this.spec = config.rules().specification();
  }

  /** The reply's schema when the answer must be one of {@code answers}. */
  static StructuredOutput reply(List<String> answers) {
    return StructuredOutput.of("intent-answer", """
        {"type": "object", "required": ["answer", "reply"], "additionalProperties": false,
         "properties": {
           "answer": {"enum": %s},
           "reply": {"type": "string", "minLength": 1}}}""".formatted(JSON.valueToTree(answers).toString()));
  }

  @Override
  CompletionStage<Step> open(Task task, long seed) {
    draw = IntentDraw.draw(config.rules(), spec, task);
    belief = IntentBelief.initial(spec);
    return CompletableFuture.completedFuture(new Step(IntentDraw.opening(spec), hidden().build(), false));
  }

  @Override
  CompletionStage<Step> turn(String text) {
    IntentGrammar.Utterance u = IntentGrammar.parse(spec, text);
    if (u instanceof IntentGrammar.Final f) {
      double score = draw.score(f.values());
      Signals s = hidden().put(IntentSignals.NOT_SURE, false).put(IntentSignals.SCORE, score).build();
      return CompletableFuture.completedFuture(
          new Step(IntentDraw.verdict(draw.right(f.values()), draw.knowable()), s, true));
    }
    if (u instanceof IntentGrammar.Unclear un) {
      Signals s = hidden().put(IntentSignals.NOT_SURE, false).put(StandardSignals.INVALID_ACTION, un.reason()).build();
      return CompletableFuture.completedFuture(new Step(IntentDraw.notUnderstood(un.reason()), s, false));
    }
    int a;
    List<String> answers = new ArrayList<>();
    String kind;
    if (u instanceof IntentGrammar.Is is) {
      a = is.attribute();
      answers.addAll(List.of("yes", "no"));
      kind = "whether the " + spec.attributes().get(a).name() + " is " + is.value();
    } else if (u instanceof IntentGrammar.Which w) {
      a = w.attribute();
      answers.addAll(spec.attributes().get(a).values());
      kind = "what the " + spec.attributes().get(a).name() + " is";
    } else {
      IntentGrammar.Either e = (IntentGrammar.Either) u;
      a = e.attribute();
      answers.addAll(List.of(e.first(), e.second(), NEITHER));
      kind = "whether the " + spec.attributes().get(a).name() + " is " + e.first() + " or " + e.second();
    }
    answers.add(NOT_SURE);
    StructuredOutput output = reply(answers);
    IntentSpec.Attribute attribute = spec.attributes().get(a);
    Map<String, Object> vars = new HashMap<>();
    vars.put("description", spec.description());
    vars.put("intent", IntStream.range(0, spec.size()).filter(i -> !draw.unsure().get(i))
        .mapToObj(i -> spec.attributes().get(i).name() + ": " + draw.intent().get(i)).toList());
    vars.put("unsure", IntStream.range(0, spec.size()).filter(i -> draw.unsure().get(i))
        .mapToObj(i -> spec.attributes().get(i).name()).toList());
    vars.put("novice", draw.novice());
    vars.put("asked", kind);
    vars.put("attribute", attribute.name());
    vars.put("knows", !draw.unsure().get(a));
    vars.put("answers", answers);
    vars.put("schema", output.schema());
    String system = templates.render("intent-user", vars);
    return model.structured(flipped(system), output).thenApply(json -> step(u, a, json));
  }

  private Step step(IntentGrammar.Utterance u, int a, JsonNode json) {
    String answer = json.get("answer").asText();
    boolean notSure = answer.equals(NOT_SURE);
    if (notSure) {
      belief = belief.notSure(a);
    } else if (u instanceof IntentGrammar.Is is) {
      belief = answer.equals("yes") ? belief.is(a, is.value()) : belief.isNot(a, List.of(is.value()));
    } else if (u instanceof IntentGrammar.Either e && answer.equals(NEITHER)) {
      belief = belief.isNot(a, List.of(e.first(), e.second()));
    } else {
      belief = belief.is(a, answer);
    }
    Signals s = hidden().put(IntentSignals.NOT_SURE, notSure).build();
    return new Step(json.get("reply").asText().strip(), s, false);
  }

  private Signals.Builder hidden() {
    List<String> unsureOf = IntStream.range(0, spec.size()).filter(i -> draw.unsure().get(i))
        .mapToObj(i -> spec.attributes().get(i).name()).toList();
    String hidden = IntStream.range(0, spec.size())
        .mapToObj(i -> spec.attributes().get(i).name() + "=" + draw.intent().get(i)).collect(Collectors.joining("; "));
    return Signals.builder()
        .put(StandardSignals.CANDIDATE_COUNT, belief.count())
        .put(StandardSignals.CANDIDATE_ENTROPY, belief.entropyBits())
        .put(IntentSignals.ATTRIBUTES_KNOWN, belief.known())
        .put(IntentSignals.INTENT, hidden)
        .put(IntentSignals.UNSURE_OF, unsureOf.isEmpty() ? "" : "unsure of " + String.join(", ", unsureOf))
        .put(IntentSignals.EXPERTISE, draw.novice() ? "novice" : "expert");
  }

  /** What the user's answers have established so far (tests, fidelity checks). */
  IntentBelief belief() {
    return belief;
  }

  /** The hidden state (tests, fidelity checks). */
  IntentDraw draw() {
    return draw;
  }
}
