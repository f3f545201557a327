package dev.ludus.simulators.llm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.Task;
import dev.ludus.api.chat.ChatClient;
import dev.ludus.simulators.persuasion.PersonaTable;
import dev.ludus.simulators.persuasion.PersuadeeReplies;
import dev.ludus.simulators.persuasion.PersuasionReader;
import dev.ludus.simulators.persuasion.PersuasionRules;
import dev.ludus.simulators.persuasion.PersuasionSignals;
import dev.ludus.simulators.persuasion.PersuasionState;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The LLM-driven persuadee (PersuasionForGood). Each turn the message is read as the rule-based persuadee reads it
 * ({@link PersuasionReader}, {@link PersuasionRules}: strategies, repetition, contradictions, the facts stated and
 * asked), then one call to the persuadee's model, roles flipped, returns as JSON its updated propensity to donate, its
 * decision (go on, donate an amount, or leave) and its reply. The propensity and the decision replace the rules' own
 * in the {@link PersuasionState}; resistance and the bookkeeping stay the rules'. The persona and opening line are the
 * rule-based persuadee's, and it publishes the same {@link PersuasionSignals}. Not thread-safe: one per episode.
 */
final class PersuasionLlmUser extends LlmTwinUser {
  static final StructuredOutput DECISION = StructuredOutput.of("persuadee-decision", """
      {"type": "object", "required": ["propensity", "decision", "reply"],
       "properties": {
         "propensity": {"type": "number", "minimum": 0, "maximum": 1},
         "decision": {"enum": ["continue", "donate", "leave"]},
         "donation": {"type": "number", "minimum": 0, "maximum": 2},
         "reply": {"type": "string", "minLength": 1}},
       "if": {"properties": {"decision": {"const": "donate"}}},
       "then": {"required": ["donation"]}}""");

  private final PersonaTable table;
  private PersuasionState state;

  PersuasionLlmUser(PersuasionLlmUserConfig config, ChatClient client) {
    super(config.settings(), client);
    this.table = config.rules().table();
  }

  @Override
  CompletionStage<Step> open(Task task, long seed) {
    state = PersuasionRules.initial(table.choose(task), task.seed());
    return CompletableFuture.completedFuture(new Step(PersuadeeReplies.OPENING, hidden().build(), false));
  }

  @Override
  CompletionStage<Step> turn(String text) {
    PersuasionRules.Outcome o = PersuasionRules.step(state, PersuasionReader.read(text));
    Map<String, Object> vars = new HashMap<>();
    vars.put("persona", plain(state.persona()));
    vars.put("propensity", Math.round(state.propensity() * 100) / 100.0);
    vars.put("resistance", Math.round(state.resistance() * 100) / 100.0);
    vars.put("willingness", state.willingness());
    vars.put("turn", state.turn() + 1);
    vars.put("schema", DECISION.schema());
    String system = templates.render("persuadee", vars);
    return model.structured(flipped(system), DECISION).thenApply(json -> step(o, json));
  }

  private Step step(PersuasionRules.Outcome o, JsonNode json) {
    PersuasionState r = o.next();
    String decision = json.get("decision").asText();
    Optional<Double> committed = decision.equals("donate")
        ? Optional.of(Math.min(PersuasionRules.MAX_DONATION, json.get("donation").asDouble())) : Optional.empty();
    state = new PersuasionState(r.persona(), json.get("propensity").asDouble(), r.resistance(), r.turn(), r.uses(),
        r.earlier(), r.claims(), r.answered(), r.declines(), committed, decision.equals("leave"));
    Signals.Builder b = hidden()
        .put(PersuasionSignals.STRATEGIES, o.strategies())
        .put(PersuasionSignals.REPETITION, o.repetition())
        .put(PersuasionSignals.INCONSISTENCY, o.inconsistency().isPresent());
    o.inconsistency().ifPresent(why -> b.put(PersuasionSignals.CONTRADICTION, why));
    if (!o.reading().readable()) {
      b.put(StandardSignals.INVALID_ACTION, o.reading().whyUnreadable());
    }
    if (state.ended()) {
      b.put(PersuasionSignals.DONATION, state.donationNow());
    }
    return new Step(json.get("reply").asText().strip(), b.build(), state.ended());
  }

  private Signals.Builder hidden() {
    return Signals.builder()
        .put(PersuasionSignals.PROPENSITY, state.propensity())
        .put(PersuasionSignals.RESISTANCE, state.resistance())
        .put(PersuasionSignals.DONATION_INTENT, state.willingness())
        .put(PersuasionSignals.PERSONA, state.persona().id());
  }

  /** The hidden state now (tests, fidelity checks). */
  PersuasionState state() {
    return state;
  }
}
