package dev.ludus.simulators.questions;

import dev.ludus.api.SimulatorProvider;
import dev.ludus.api.UserSimulator;

/**
 * Registers the rule-based twenty-questions user as {@value #NAME}. Stateless and thread-safe; each
 * {@link #create} gives a new user for one episode, which the caller closes.
 *
 * <p>The user thinks of one item of the {@link Catalogue} (within the configured pool), answers the
 * questions of the {@link QuestionGrammar} truthfully with "Yes." or "No.", says "No, that's not it." to a
 * wrong guess, ends the conversation on a right guess, and answers "I don't understand. ..." to anything
 * else. It publishes the {@link TwentyQuestionsSignals}. The {@code twenty-questions} environment gets it by
 * name through its plugin context ({@link dev.ludus.api.PluginContext#simulator}), with the environment's
 * pool as its configuration; a configuration may name another simulator instead.
 */
public final class TwentyQuestionsUserProvider implements SimulatorProvider<TwentyQuestionsUserConfig> {
  /** The registered name. */
  public static final String NAME = "twenty-questions-user";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "A rule-based user who thinks of a thing and answers yes/no questions about it truthfully";
  }

  @Override
  public Class<TwentyQuestionsUserConfig> configType() {
    return TwentyQuestionsUserConfig.class;
  }

  @Override
  public TwentyQuestionsUserConfig defaultConfig() {
    return TwentyQuestionsUserConfig.defaults();
  }

  @Override
  public UserSimulator create(TwentyQuestionsUserConfig config) {
    return new TwentyQuestionsUser(config);
  }
}
