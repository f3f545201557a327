package dev.ludus.simulators.llm;

import dev.ludus.api.Seeds;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.Task;
import dev.ludus.api.chat.ChatClient;
import dev.ludus.simulators.support.Band;
import dev.ludus.simulators.support.Fit;
import dev.ludus.simulators.support.Move;
import dev.ludus.simulators.support.SupportClassifier;
import dev.ludus.simulators.support.SupportProfile;
import dev.ludus.simulators.support.SupportReplies;
import dev.ludus.simulators.support.SupportSignals;
import dev.ludus.simulators.support.SupportState;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The LLM-driven emotional-support user, after SAGE's analyser/actor split: each turn an analyser call returns, as
 * JSON, how the agent's message fit the hidden need and the change of emotion; the change (clipped as configured,
 * the emotion kept within 0 to 100) moves the rule-based user's {@link SupportState}; then an actor call, roles
 * flipped, writes the user's reply in the new emotion band, saying goodbye in S or F, which ends the conversation.
 * The profile and opening line are the rule-based user's for the same task and seed, and it publishes the same
 * {@link SupportSignals} (the fit is the analyser's; the moves are the classifier's reading of the message). Not
 * thread-safe: one per episode.
 */
final class EmotionalSupportLlmUser extends LlmTwinUser {
  static final StructuredOutput ANALYSIS = StructuredOutput.of("emotion-analysis", """
      {"type": "object", "required": ["analysis", "fit", "change"],
       "properties": {
         "analysis": {"type": "string"},
         "fit": {"enum": ["matched", "neutral", "harmful"]},
         "change": {"type": "integer", "minimum": -100, "maximum": 100}}}""");

  private final EmotionalSupportLlmUserConfig config;
  private final List<SupportProfile> table;
  private SupportState state;

  EmotionalSupportLlmUser(EmotionalSupportLlmUserConfig config, ChatClient client) {
    super(config.settings(), client);
    this.config = config;
    this.table = config.rules().table();
  }

  @Override
  CompletionStage<Step> open(Task task, long seed) {
    String wanted = task.fields().get("profile");
    SupportProfile profile = wanted == null ? table.get(new SplittableRandom(task.seed()).nextInt(table.size()))
        : table.stream().filter(p -> p.id().equals(wanted)).findFirst().orElseThrow(() -> new IllegalArgumentException(
            "task " + task.id() + ": profile '" + wanted + "' is not in the table"));
    state = SupportState.start(profile, config.startEmotion());
    String opening = SupportReplies.opening(profile, new SplittableRandom(Seeds.mix(seed, 0x50990e7L)));
    return CompletableFuture.completedFuture(new Step(opening, hidden().build(), false));
  }

  @Override
  CompletionStage<Step> turn(String text) {
    Map<String, Object> vars = variables();
    vars.put("dialogue", transcript());
    vars.put("schema", ANALYSIS.schema());
    String analyser = templates.render("emotional-support-analyser", vars);
    return model.structured(List.of(dev.ludus.api.Message.system(analyser),
        dev.ludus.api.Message.user("Analyse the agent's last message now.")), ANALYSIS).thenCompose(json -> {
          Fit fit = Fit.valueOf(json.get("fit").asText().toUpperCase(Locale.ROOT));
          double next = next(state.emotion(), json.get("change").asInt());
          state = state.after(text, next);
          Map<String, Object> actorVars = variables();
          actorVars.put("analysis", json.get("analysis").asText());
          actorVars.put("goodbye", state.band().saysGoodbye());
          return model.text(flipped(templates.render("emotional-support-actor", actorVars)))
              .thenApply(reply -> step(reply, fit, text));
        });
  }

  private Step step(String reply, Fit fit, String text) {
    if (reply == null || reply.isBlank()) {
      throw new SimulatorFailure(SimulatorFailure.Kind.MALFORMED_OUTPUT, "the actor's reply is empty");
    }
    SupportClassifier.Reading reading = SupportClassifier.read(text);
    List<String> moves = reading.unreadable().isPresent() ? List.of()
        : reading.moves().stream().sorted().map(Move::wireName).toList();
    Signals s = hidden().put(SupportSignals.FIT, fit.wireName()).put(SupportSignals.MOVES, moves).build();
    return new Step(reply.strip(), s, state.band().saysGoodbye());
  }

  /** The emotion after a change of {@code change}: clipped to ±deltaClip (when set), kept within 0 to 100. */
  double next(double before, int change) {
    double clip = config.deltaClip();
    double d = clip > 0 ? Math.max(-clip, Math.min(clip, change)) : change;
    return Math.max(0, Math.min(100, before + d));
  }

  private Map<String, Object> variables() {
    SupportProfile p = state.profile();
    Map<String, Object> v = new HashMap<>();
    v.put("profile", plain(p));
    v.put("need", p.need().wireName());
    v.put("taboos", p.allTaboos().stream().map(Move::wireName).sorted().toList());
    v.put("emotion", (int) Math.round(state.emotion()));
    v.put("band", state.band().name());
    v.put("band_description", describe(state.band()));
    return v;
  }

  static String describe(Band band) {
    return switch (band) {
      case S -> "you feel much better and are ready to end the conversation";
      case A -> "you feel fairly good and open";
      case B -> "you feel uneasy but willing to talk";
      case C -> "you feel bad, guarded and easily hurt";
      case F -> "you feel worse than ever and want to leave";
    };
  }

  private Signals.Builder hidden() {
    SupportProfile p = state.profile();
    return Signals.builder()
        .put(StandardSignals.EMOTION, state.emotion())
        .put(SupportSignals.BAND, state.band().name())
        .put(SupportSignals.NEED, p.need().wireName())
        .put(SupportSignals.THEME, p.scene().hiddenTheme())
        .put(SupportSignals.TABOOS, p.taboos().stream().map(Move::wireName).toList())
        .put(SupportSignals.PROFILE, p.id());
  }

  /** The hidden state now (tests, fidelity checks). */
  SupportState state() {
    return state;
  }
}
