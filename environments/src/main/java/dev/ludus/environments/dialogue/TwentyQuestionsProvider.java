package dev.ludus.environments.dialogue;

import dev.ludus.api.Agent;
import dev.ludus.api.AnyEnvironment;
import dev.ludus.api.PluginRef;
import dev.ludus.api.StandardSignals;
import dev.ludus.api.UserSimulator;
import dev.ludus.simulators.questions.TwentyQuestionsSignals;
import java.util.Optional;

/**
 * Twenty questions, an intent-discovery dialogue, registered as {@value #NAME}. Stateless and thread-safe.
 *
 * <p>Design note. A simulated user thinks of one item of a fixed catalogue; the target is drawn from the task
 * seed, or named by the task's {@code target} field. The user is a registered simulator that the
 * configuration names ({@link TwentyQuestionsConfig#user()}, by default the rule-based
 * {@code twenty-questions-user} of the simulators module) and the {@link PluginContext} creates, so a
 * configuration can swap it: {@code --env-config 'user: {name: my-user, config: {...}}'}. An unknown name or
 * a bad configuration fails when the environment is created, naming {@code user}. The agent asks yes/no questions in the
 * grammar of {@link dev.ludus.simulators.questions.QuestionGrammar} (the system prompt lists it) and names
 * the item with "Is it a ...?" or {@code <answer>...</answer>}. The environment is an
 * {@link dev.ludus.api.AsyncEnvironment} because a user driven by a language model can take its place; the
 * rule-based user's stages are already complete.
 *
 * <ul>
 *   <li>Reward: 1 on the step that names the target (terminated, {@code success=true}); 0 otherwise.
 *   <li>A wrong guess costs its turn, or ends the episode (terminated, {@code success=false}) when
 *       {@link TwentyQuestionsConfig#wrongGuessEndsEpisode()}.
 *   <li>After {@link TwentyQuestionsConfig#maxTurns()} messages the episode is truncated
 *       ({@code success=false}).
 *   <li>A message the user cannot read gets "I don't understand. ..." and the {@code invalid-action} signal
 *       with the reason; the episode goes on.
 *   <li>Signals, every step: the user's {@link TwentyQuestionsSignals} (candidate count, entropy, names when
 *       few, the secret target, how the message was read, the question understood) and {@code success} on
 *       the last step. The target is said only on the last step.
 * </ul>
 *
 * <p>The oracle asks the question of greatest expected information gain over the candidates consistent
 * with the conversation and solves every target within the default 20 turns; the random agent asks random
 * grammar questions and makes random guesses.
 */
public final class TwentyQuestionsProvider extends UserDialogueProvider<TwentyQuestionsConfig> {
  /** The registered name. */
  public static final String NAME = "twenty-questions";

  public TwentyQuestionsProvider() {
    super(NAME, "Twenty questions: find the thing a simulated user thinks of by asking yes/no questions",
        TwentyQuestionsConfig.class, TwentyQuestionsSignals.all(),
        StandardSignals.SUCCESS, StandardSignals.INVALID_ACTION);
  }

  @Override
  public TwentyQuestionsConfig defaultConfig() {
    return TwentyQuestionsConfig.defaults();
  }

  @Override
  protected PluginRef user(TwentyQuestionsConfig config) {
    return config.userRef();
  }

  @Override
  protected AnyEnvironment environment(TwentyQuestionsConfig config, UserSimulator user) {
    return new TwentyQuestionsEnvironment(config, user);
  }

  @Override
  public Optional<Agent> oracle(TwentyQuestionsConfig config) {
    return Optional.of(new TwentyQuestionsOracle(config));
  }

  @Override
  public Agent randomAgent(TwentyQuestionsConfig config) {
    return new TwentyQuestionsRandomAgent(config);
  }
}
