package dev.ludus.environments.dialogue.intent;

import dev.ludus.api.Message;
import dev.ludus.api.Signals;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.StepResult;
import dev.ludus.api.UserSimulator;
import dev.ludus.api.UserTurn;
import dev.ludus.environments.dialogue.UserDialogueEnvironment;
import dev.ludus.simulators.intent.IntentGrammar;
import dev.ludus.simulators.intent.IntentSignals;
import dev.ludus.simulators.intent.IntentSpec;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Intent discovery around a simulated user: reset gives the system prompt and the user's opening; each step hands the
 * agent's message to the user, returns its reply and pays the entropy the answer removed, plus the outcome when the
 * user scored a final specification. Composes the user's stages and never blocks. Not thread-safe: one episode at a
 * time. Closing it closes the user.
 */
final class IntentDiscoveryEnvironment extends UserDialogueEnvironment {
  private final IntentDiscoveryConfig config;
  private double initialEntropy;
  private double entropy;

  IntentDiscoveryEnvironment(IntentDiscoveryConfig config, UserSimulator user) {
    super(user, systemPrompt(Objects.requireNonNull(config, "config")));
    this.config = config;
  }

  static String systemPrompt(IntentDiscoveryConfig config) {
    IntentSpec spec = config.specification();
    return "You are helping a user with " + spec.description() + ". Find out what they want by asking questions, one"
        + " per turn, then give the final specification. You have " + config.maxTurns() + " turns; every question"
        + " and the final specification use one.\n\n" + IntentGrammar.help(spec);
  }

  @Override
  protected void opened(UserTurn opening) {
    initialEntropy = opening.signals().get(StandardSignals.CANDIDATE_ENTROPY).orElse(0.0);
    entropy = initialEntropy;
  }

  @Override
  protected StepResult result(UserTurn said) {
    Signals in = said.signals();
    double h = in.get(StandardSignals.CANDIDATE_ENTROPY).orElse(entropy);
    double removed = entropy - h;
    entropy = h;
    double reward = switch (config.gain()) {
      case "bits" -> removed;
      case "normalised" -> initialEntropy > 0 ? removed / initialEntropy : 0.0;
      default -> 0.0;
    };
    Optional<Double> score = in.get(IntentSignals.SCORE);
    boolean terminated = said.ended() || score.isPresent();
    boolean truncated = !terminated && atTurnLimit(config.maxTurns());
    Signals.Builder out = Signals.builder().putAll(in);
    if (terminated || truncated) {
      conversation().end();
      double s = score.orElse(0.0);
      boolean success = s >= 1.0 - 1e-12;
      reward += config.outcome().equals("all") ? (success ? 1.0 : 0.0) : s;
      out.put(StandardSignals.SUCCESS, success);
    }
    return new StepResult(List.of(said.reply()), reward, terminated, truncated, out.build());
  }
}
