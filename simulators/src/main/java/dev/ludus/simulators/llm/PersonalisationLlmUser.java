package dev.ludus.simulators.llm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.Task;
import dev.ludus.api.chat.ChatClient;
import dev.ludus.simulators.profile.ConfidantReplies;
import dev.ludus.simulators.profile.ConfidantRules;
import dev.ludus.simulators.profile.ConfidantState;
import dev.ludus.simulators.profile.PersonalisationSignals;
import dev.ludus.simulators.profile.ProfileAnswer;
import dev.ludus.simulators.profile.ProfileFact;
import dev.ludus.simulators.profile.ProfileTable;
import dev.ludus.simulators.profile.ResponseCheck;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * The LLM-driven personalisation user (RLPA's stranger who just added you as a friend). Each turn the agent's
 * {@code <profile>...</profile><response>...</response>} is parsed and checked by the rules (repetition, flattery, off
 * topic, length; the inferred profile's F1); the model hears only the response and returns, as JSON, which profile
 * facts it reveals now (by index, only ones not yet revealed, at most the per-reply share: the schema is built per
 * turn so nothing else validates) and its reply. The revealed facts replace the rules' choice in the
 * {@link ConfidantState}. A malformed agent message gets the rule-based user's answer without a model call. The profile
 * and opening line are the rule-based user's, and it publishes the same {@link PersonalisationSignals}. Not
 * thread-safe: one per episode.
 */
final class PersonalisationLlmUser extends LlmTwinUser {
  static final String MALFORMED = "Sorry, what?";

  private final PersonalisationLlmUserConfig config;
  private final ProfileTable table;
  private ConfidantState state;

  PersonalisationLlmUser(PersonalisationLlmUserConfig config, ChatClient client) {
    super(config.settings(), client);
    this.config = config;
    this.table = config.rules().table();
  }

  @Override
  CompletionStage<Step> open(Task task, long seed) {
    state = ConfidantRules.initial(table.choose(task), ConfidantReplies.OPENING);
    return CompletableFuture.completedFuture(new Step(ConfidantReplies.OPENING,
        hidden().put(PersonalisationSignals.FACTS_REVEALED, 0).build(), false));
  }

  @Override
  String heard(String text) {
    return ProfileAnswer.parse(text) instanceof ProfileAnswer.Parsed p ? p.answer().response() : text;
  }

  /** The JSON the model must write this turn: indices of facts not yet revealed, at most {@code k}. */
  static StructuredOutput output(List<Integer> hidden, int k) {
    String ids = hidden.stream().map(String::valueOf).collect(Collectors.joining(", "));
    return StructuredOutput.of("confidant-reply", """
        {"type": "object", "required": ["reveal", "reply"],
         "properties": {
           "reveal": {"type": "array", "uniqueItems": true, "maxItems": %d, "items": {"enum": [%s]}},
           "reply": {"type": "string", "minLength": 1}}}""".formatted(k, ids));
  }

  @Override
  CompletionStage<Step> turn(String text) {
    ProfileAnswer.Parse parse = ProfileAnswer.parse(text);
    if (!(parse instanceof ProfileAnswer.Parsed parsed)) {
      state = ConfidantRules.said(ConfidantRules.malformed(state), MALFORMED);
      Signals s = hidden().put(PersonalisationSignals.PROFILE_F1, 0.0)
          .put(StandardSignals.INVALID_ACTION, ((ProfileAnswer.Malformed) parse).reason())
          .put(PersonalisationSignals.FACTS_REVEALED, state.revealed().size()).build();
      return CompletableFuture.completedFuture(new Step(MALFORMED, s, false));
    }
    ConfidantRules.Outcome o = ConfidantRules.step(state, parsed.answer(), table, config.revealShare());
    List<ProfileFact> facts = state.profile().facts();
    List<Integer> hidden = new ArrayList<>();
    List<Map<String, Object>> listed = new ArrayList<>();
    for (int i = 0; i < facts.size(); i++) {
      if (!state.revealed().contains(i)) {
        hidden.add(i);
      }
      listed.add(Map.of("index", i, "topic", facts.get(i).topic(), "text", facts.get(i).text(),
          "revealed", state.revealed().contains(i)));
    }
    int k = ConfidantRules.perReply(state.profile(), config.revealShare());
    StructuredOutput output = output(hidden, k);
    Map<String, Object> vars = new HashMap<>();
    vars.put("facts", listed);
    vars.put("per_reply", k);
    vars.put("issues", o.issues().stream().map(ResponseCheck::wireName).toList());
    vars.put("schema", output.schema());
    String system = templates.render("confidant", vars);
    return model.structured(flipped(system), output).thenApply(json -> step(o, json));
  }

  private Step step(ConfidantRules.Outcome o, JsonNode json) {
    TreeSet<Integer> revealed = new TreeSet<>(state.revealed());
    json.get("reveal").forEach(i -> revealed.add(i.asInt()));
    ConfidantState r = o.next();
    String reply = json.get("reply").asText().strip();
    state = ConfidantRules.said(new ConfidantState(r.profile(), revealed, r.earlier(), r.lastUserMessage(), r.turn(),
        r.f1()), reply);
    Signals s = hidden().put(PersonalisationSignals.PROFILE_F1, o.f1())
        .put(PersonalisationSignals.RESPONSE_OK, o.responseOk())
        .put(PersonalisationSignals.RESPONSE_ISSUES, o.issues().stream().map(ResponseCheck::wireName).toList())
        .put(PersonalisationSignals.TOPICS, o.topics())
        .put(PersonalisationSignals.FACTS_REVEALED, state.revealed().size()).build();
    return new Step(reply, s, false);
  }

  private Signals.Builder hidden() {
    return Signals.builder()
        .put(PersonalisationSignals.PROFILE, state.profile().lines())
        .put(PersonalisationSignals.PROFILE_ID, state.profile().id());
  }

  /** The hidden state now (tests). */
  ConfidantState state() {
    return state;
  }
}
